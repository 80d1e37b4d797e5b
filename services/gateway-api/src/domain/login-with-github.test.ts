import { roleFromTeams } from './login-with-github';

const team = (organization: string, name: string, slug = name.toLowerCase().replace(/ /g, '-')) => ({
  name,
  slug,
  organization: { login: organization },
});

describe('roleFromTeams', () => {
  const mapping = { organization: 'degica', adminTeam: 'Admin developers', developerTeam: 'developers' };

  it('makes members of the admin team admins, even when they are developers too', () => {
    expect(roleFromTeams([team('degica', 'developers'), team('degica', 'Admin developers')], mapping)).toBe('admin');
  });

  it('makes members of the developer team developers, matching the slug as well as the name', () => {
    expect(roleFromTeams([team('Degica', 'Developers')], mapping)).toBe('developer');
    expect(roleFromTeams([team('degica', 'Dev Team', 'developers')], mapping)).toBe('developer');
  });

  it('refuses other teams and the same team name in another organisation', () => {
    expect(roleFromTeams([team('degica', 'reviewers')], mapping)).toBeNull();
    expect(roleFromTeams([team('elsewhere', 'Admin developers')], mapping)).toBeNull();
  });

  it('lets any team of the organisation in as developer when no developer team is configured', () => {
    expect(roleFromTeams([team('degica', 'reviewers')], { organization: 'degica' })).toBe('developer');
    expect(roleFromTeams([], { organization: 'degica' })).toBeNull();
  });

  it('lets nobody in when no organisation is configured', () => {
    expect(roleFromTeams([team('degica', 'developers')], {})).toBeNull();
  });
});
