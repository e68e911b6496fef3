import { render } from 'solid-js/web';
import { App } from './ui/App';

const root = document.getElementById('root')!;
// index.html's static first paint (the splash); the app draws the same splash in the same task, so no frame is blank.
root.textContent = '';
render(() => <App />, root);
