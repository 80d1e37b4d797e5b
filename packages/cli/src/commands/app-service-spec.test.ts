import { InvalidArgumentError } from 'commander';
import { buildProgram } from '../build-program';
import { parseServiceSpec } from './app-service-spec';

describe('--service', () => {
  it("keeps a cron schedule's commas inside its value", () => {
    expect(parseServiceSpec('name=weekly,command=rake report,schedule=0 9 * * 1,3,5')).toEqual([
      { name: 'weekly', command: 'rake report', schedule: '0 9 * * 1,3,5' },
    ]);
    expect(parseServiceSpec('schedule=0,30 9 * * MON,FRI,name=twice')).toEqual([
      { name: 'twice', schedule: '0,30 9 * * MON,FRI' },
    ]);
  });

  it('still splits every key=value field, and adds one service per flag', () => {
    const first = parseServiceSpec('name=web,scale=3,public=true,ports=80:8080+443:8443,cpu=256,memory=512');
    expect(parseServiceSpec('name=worker, command=sidekiq -q a,b', first)).toEqual([
      {
        name: 'web',
        scale: 3,
        public: true,
        cpu: 256,
        memory: 512,
        port_mappings: [
          { lb_port: 80, container_port: 8080 },
          { lb_port: 443, container_port: 8443 },
        ],
      },
      { name: 'worker', command: 'sidekiq -q a,b' },
    ]);
  });

  it('refuses a field that is not key=value, naming it', () => {
    expect(() => parseServiceSpec('web,scale=3')).toThrow(new InvalidArgumentError('"web" is not key=value'));
    expect(() => parseServiceSpec('scale=3')).toThrow('a service needs name=<name>');
  });

  it("shows a cron service in apps create's help, and that example parses", () => {
    let help = '';
    const program = buildProgram({ stdout: () => undefined, stderr: () => undefined, env: {}, homeDirectory: '/' });
    const create = program.commands
      .find((command) => command.name() === 'apps')
      ?.commands.find((command) => {
        return command.name() === 'create';
      });
    create?.configureOutput({ writeOut: (chunk) => (help += chunk) });
    create?.outputHelp();
    const example = /--service '([^']*schedule=[^']*)'/.exec(help)?.[1];
    expect(example).toBe('name=weekly,command=report --all,schedule=0 9 * * 1,3,5');
    expect(parseServiceSpec(example ?? '')).toEqual([
      { name: 'weekly', command: 'report --all', schedule: '0 9 * * 1,3,5' },
    ]);
  });
});
