import { render } from 'solid-js/web';
import { App } from './ui/App';

render(() => <App />, document.getElementById('root')!);
