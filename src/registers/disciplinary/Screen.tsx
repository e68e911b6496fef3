import { ScreenHeader } from '../../ui/common';

// Not built yet: this register arrives with issue 4.
export default function Screen() {
  return <ScreenHeader title="disciplinary" />;
}
