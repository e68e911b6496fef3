import { Match, Switch } from 'solid-js';
import { route } from '../../ui/router';
import { CompetenceForm, CompetencesView } from './CompetencesView';
import { HoldingForm } from './HoldingForm';
import { MatrixView } from './MatrixView';
import { PeopleView, PersonView } from './PeopleView';
import './competency.css';

/*
 * Routes:
 *   #/competency?role=<id>                         matrix of a role (holders × competences)
 *   #/competency/people                            people holding roles, with their gaps
 *   #/competency/person?id=<personId>              one person's competences for every role they hold
 *   #/competency/competences                       the competences and which roles require them
 *   #/competency/new?role=<id>                     add a competence (required by that role)
 *   #/competency/<competenceId>                    edit a competence
 *   #/competency/holding?person=&competence=&role= record the level a person holds
 */
export default function CompetencyScreen() {
  return (
    <Switch fallback={<MatrixView />}>
      <Match when={route().id === 'people'}><PeopleView /></Match>
      <Match when={route().id === 'person'}><PersonView id={route().params.get('id') ?? ''} /></Match>
      <Match when={route().id === 'competences'}><CompetencesView /></Match>
      <Match when={route().id === 'new'}><CompetenceForm roleId={route().params.get('role') ?? ''} /></Match>
      <Match when={route().id === 'holding'}>
        <HoldingForm personId={route().params.get('person') ?? ''} competenceId={route().params.get('competence') ?? ''} roleId={route().params.get('role') ?? ''} />
      </Match>
      <Match when={route().id}>{(id) => <CompetenceForm id={id()} roleId="" />}</Match>
    </Switch>
  );
}
