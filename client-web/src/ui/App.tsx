import lazy from 'preact-iso/lazy';
import { LocationProvider, Route, Router } from 'preact-iso/router';
import { t } from '../i18n';
import { About } from '../pages/About';
import { NotFound } from '../pages/NotFound';
import { Welcome } from '../pages/Welcome';
import { Footer } from './Footer';
import { Header } from './Header';
import { InactivityLock } from './InactivityLock';
import { focusPageTitle } from './Page';
import { ROUTES } from './routes';

// The accounts pages carry the crypto: each is its own chunk, loaded when first shown.
const Create = lazy(() => import('../pages/Create'));
const Unlock = lazy(() => import('../pages/Unlock'));
const CoffreHome = lazy(() => import('../pages/CoffreHome'));
const NewCarte = lazy(() => import('../pages/NewCarte'));
const Invitation = lazy(() => import('../pages/Invitation'));
const Papers = lazy(() => import('../pages/Papers'));
const AddPaper = lazy(() => import('../pages/AddPaper'));
const ShowPaper = lazy(() => import('../pages/ShowPaper'));
const MyCode = lazy(() => import('../mandates/MyCode'));
const GiveMandate = lazy(() => import('../mandates/Give'));
const MyMandates = lazy(() => import('../mandates/MyMandates'));
const Workspace = lazy(() => import('../mandates/Workspace'));
const Organisations = lazy(() => import('../organisations/Screens'));
// Help is read once in a while, not on the first screen.
const Help = lazy(() => import('../pages/Help').then((m) => m.Help));

export function App() {
  return (
    <LocationProvider>
      <a class="skip-link" href="#main">
        {t('skip-link')}
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        <div class="container">
          <Router onRouteChange={focusPageTitle}>
            <Route path={ROUTES.welcome} component={Welcome} />
            <Route path={ROUTES.create} component={Create} />
            <Route path={ROUTES.unlock} component={Unlock} />
            <Route path={ROUTES.coffre} component={CoffreHome} />
            <Route path={ROUTES.newCarte} component={NewCarte} />
            <Route path={ROUTES.papers} component={Papers} />
            <Route path={ROUTES.addPaper} component={AddPaper} />
            <Route path={ROUTES.paper} component={ShowPaper} />
            <Route path={ROUTES.invitation} component={Invitation} />
            <Route path={ROUTES.myCode} component={MyCode} />
            <Route path={ROUTES.giveMandate} component={GiveMandate} />
            <Route path={ROUTES.mandates} component={MyMandates} />
            <Route path={ROUTES.helped} component={Workspace} />
            <Route path={ROUTES.organisations} component={Organisations} />
            <Route path={ROUTES.help} component={Help} />
            <Route path={ROUTES.about} component={About} />
            <Route default component={NotFound} />
          </Router>
        </div>
      </main>
      <Footer />
      <InactivityLock />
    </LocationProvider>
  );
}
