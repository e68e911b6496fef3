import { href } from '../../ui/router';

/** Matrix | People | Competences, at the top of the competency lists. */
export function CompetencyNav(props: { current: 'matrix' | 'people' | 'competences'; roleId?: string }) {
  const matrix = () => (props.roleId ? href('competency', undefined, { role: props.roleId }) : href('competency'));
  return (
    <nav class="subnav" aria-label="Competency views">
      <a href={matrix()} aria-current={props.current === 'matrix' ? 'page' : undefined}>Matrix</a>
      <a href={href('competency', 'people')} aria-current={props.current === 'people' ? 'page' : undefined}>People</a>
      <a href={href('competency', 'competences')} aria-current={props.current === 'competences' ? 'page' : undefined}>Competences</a>
    </nav>
  );
}
