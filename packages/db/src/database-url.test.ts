import { parseDatabaseUrl } from './database-url';

describe('parseDatabaseUrl', () => {
  it('removes Prisma’s ?schema= (Postgres would refuse it as a startup parameter) and reports it', () => {
    const parsed = parseDatabaseUrl('postgres://app@db:5432/overcast?schema=billing&sslmode=require');
    expect(parsed.connectionString).toBe('postgres://app@db:5432/overcast?sslmode=require');
    expect(parsed.schemaParameter).toBe('billing');
  });

  it('redacts the password for messages', () => {
    expect(parseDatabaseUrl('postgresql://app:s3cret@db/overcast').redacted).toBe('postgresql://app:***@db/overcast');
  });

  it.each([undefined, '', 'http://db/x', 'db:5432'])('refuses %p naming the url field', (url) => {
    expect(() => parseDatabaseUrl(url)).toThrow(/^url: /);
  });
});
