import { ScreenHeader } from '../common';

// Being built: the gap dashboard (issue 3).
export default function DashboardScreen() {
  return <ScreenHeader title="Home" />;
}
