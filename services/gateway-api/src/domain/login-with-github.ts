import { AppError, type Role } from '@overcast/contracts';
import type { GitHubApi, GitHubTeam, TenantRepository } from './ports';
import type { CreateToken } from './create-token';

export interface GitHubRoleMapping {
  /** Only members of this organisation may log in; unset disables GitHub login. */
  organization?: string;
  /** Members of this team (name or slug) become admins; unset means nobody becomes admin by login. */
  adminTeam?: string;
  /** Members of this team become developers; unset means any team of the organisation (Barcelona's nil team). */
  developerTeam?: string;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const isTeam = (team: GitHubTeam, wanted: string) => same(team.name, wanted) || same(team.slug, wanted);

/** Admin wins over developer; no matching team means no login. */
export function roleFromTeams(teams: GitHubTeam[], mapping: GitHubRoleMapping): Role | null {
  const { organization, adminTeam, developerTeam } = mapping;
  if (!organization) return null;
  const inOrganization = teams.filter((team) => same(team.organization.login, organization));
  if (adminTeam && inOrganization.some((team) => isTeam(team, adminTeam))) return 'admin';
  if (
    developerTeam === undefined ? inOrganization.length > 0 : inOrganization.some((team) => isTeam(team, developerTeam))
  ) {
    return 'developer';
  }
  return null;
}

export interface GitHubLogin {
  login: string;
  token: string;
}

/** Barcelona's POST /login: a GitHub token in, a fresh Overcast token for the organisation's tenant out. */
export function createLoginWithGitHub(deps: {
  github: GitHubApi;
  tenants: Pick<TenantRepository, 'findOrCreateTenantByName'>;
  createToken: CreateToken;
  mapping: GitHubRoleMapping;
}) {
  return async function loginWithGitHub(githubToken: string): Promise<GitHubLogin> {
    const organization = deps.mapping.organization;
    if (!organization) throw new AppError('unauthenticated', 'GitHub login is not configured on this gateway');
    const [user, teams] = await Promise.all([deps.github.getUser(githubToken), deps.github.listTeams(githubToken)]);
    const role = roleFromTeams(teams, deps.mapping);
    if (!role) throw new AppError('unauthenticated', 'You are not allowed to login');
    const tenant = await deps.tenants.findOrCreateTenantByName(organization.toLowerCase());
    const created = await deps.createToken({ tenantId: tenant.id, role, description: `GitHub login ${user.login}` });
    return { login: user.login, token: created.token };
  };
}

export type LoginWithGitHub = ReturnType<typeof createLoginWithGitHub>;
