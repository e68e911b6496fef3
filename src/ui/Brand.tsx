/**
 * The top of the first screen: icon, name and what Muster is for. index.html carries the same markup so that it is
 * painted before any script runs (the welcome page's largest paint); the app keeps it on screen while it decides
 * what to open (App's splash) and on the welcome form. Keep the two copies identical.
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

/** What shows while the app opens the device's storage and loads the first screen's code. */
export function Splash() {
  return (
    <main class="welcome" aria-busy="true">
      <Brand />
    </main>
  );
}
