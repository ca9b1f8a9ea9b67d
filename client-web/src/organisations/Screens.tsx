// The organisation screens behind one lazy chunk (one more route costs the first load):
// founding, « Mon organisation », the admin's screen, chosen by the path.
import { useLocation } from 'preact-iso/router';
import AdminOrganisations from './Admin';
import Found from './Found';
import MyOrganisation from './MyOrganisation';
import { ORG_PATHS } from './paths';

export default function OrganisationScreens() {
  const { path } = useLocation();
  if (path === ORG_PATHS.found) return <Found />;
  if (path === ORG_PATHS.admin) return <AdminOrganisations />;
  return <MyOrganisation />;
}
