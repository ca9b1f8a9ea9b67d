import { t } from '../i18n';
import { Icon } from './Icon';

const CAN_SEE = ['welcome-host-can-1', 'welcome-host-can-2', 'welcome-host-can-3'];
const CANNOT_SEE = ['welcome-host-cannot-1', 'welcome-host-cannot-2', 'welcome-host-cannot-3'];

/** What the hosting association can and cannot see: said the same way on every page. */
export function HostVisibility() {
  return (
    <div class="visibility">
      <div class="visibility-card visibility-can">
        <h3 class="with-icon">
          <Icon name="eye" />
          <span>{t('welcome-host-can-title')}</span>
        </h3>
        <ul>
          {CAN_SEE.map((id) => (
            <li key={id}>{t(id)}</li>
          ))}
        </ul>
      </div>
      <div class="visibility-card visibility-cannot">
        <h3 class="with-icon">
          <Icon name="eye-off" />
          <span>{t('welcome-host-cannot-title')}</span>
        </h3>
        <ul>
          {CANNOT_SEE.map((id) => (
            <li key={id}>{t(id)}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}
