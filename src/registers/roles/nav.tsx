import { href } from '../../ui/router';

/** Roles | RACI matrix, at the top of both lists. */
export function RolesNav(props: { current: 'roles' | 'raci' }) {
  return (
    <nav class="subnav" aria-label="Roles and RACI">
      <a href={href('roles')} aria-current={props.current === 'roles' ? 'page' : undefined}>Roles</a>
      <a href={href('roles', 'raci')} aria-current={props.current === 'raci' ? 'page' : undefined}>RACI matrix</a>
    </nav>
  );
}
