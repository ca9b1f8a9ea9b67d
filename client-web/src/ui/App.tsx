import { LocationProvider, Route, Router } from 'preact-iso/router';
import { t } from '../i18n';
import { About } from '../pages/About';
import { Create, Unlock } from '../pages/ComingSoon';
import { Help } from '../pages/Help';
import { NotFound } from '../pages/NotFound';
import { Welcome } from '../pages/Welcome';
import { Footer } from './Footer';
import { Header } from './Header';
import { focusPageTitle } from './Page';
import { ROUTES } from './routes';

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
            <Route path={ROUTES.help} component={Help} />
            <Route path={ROUTES.about} component={About} />
            <Route default component={NotFound} />
          </Router>
        </div>
      </main>
      <Footer />
    </LocationProvider>
  );
}
