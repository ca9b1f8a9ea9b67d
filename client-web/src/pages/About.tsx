import { HostVisibility } from '../ui/HostVisibility';
import { Page } from '../ui/Page';
import { Lines, Section } from '../ui/Section';

export function About() {
  return (
    <Page titleId="about-title">
      <Section titleId="about-what-title" icon="papers">
        <Lines ids={['about-what-1', 'about-what-2']} />
      </Section>

      <Section titleId="about-e2e-title" icon="lock">
        <Lines ids={['about-e2e-1', 'about-e2e-2', 'about-e2e-3']} />
      </Section>

      <Section titleId="about-host-title" icon="eye">
        <HostVisibility />
      </Section>

      <Section titleId="about-device-title" icon="globe">
        <Lines ids={['about-device-1', 'about-device-2']} />
      </Section>

      <Section titleId="about-limits-title" icon="alert" class="notice">
        <Lines ids={['about-limits-1', 'about-limits-2', 'about-limits-3']} />
      </Section>
    </Page>
  );
}
