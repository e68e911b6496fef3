import { ScreenHeader } from '../../ui/common';

// Not built yet: this register arrives with issue 3.
export default function Screen() {
  return <ScreenHeader title="policies" />;
}
