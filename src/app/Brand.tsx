/**
 * The top of the first screen: icon, name and what Muster is for. index.html carries the same markup so that it is
 * painted before any script runs (the welcome page's largest paint) and stays on screen while the app decides what
 * to open (src/ui/App.tsx); the welcome form draws this one in the same place. Keep the two copies identical.
 */
export function Brand() {
  return (
    <div class="brand">
      <img src="/icon.svg" alt="" width="56" height="56" />
      <h1>Muster</h1>
      <p class="lede">Run and prove your team’s monthly security checks — on your phone, with or without signal.</p>
    </div>
  );
}
