import { newConsoleOutput } from './follow-console';

describe('new console output', () => {
  it('is what was appended', () => {
    expect(newConsoleOutput('a\n', 'a\nb\n')).toBe('b\n');
    expect(newConsoleOutput('a\n', 'a\n')).toBe('');
  });

  it('is found after the previous end once the console rolled past its 1 MiB window', () => {
    const previous = `${'x'.repeat(5000)}tail-of-previous\n`;
    const rolled = `${previous.slice(500)}new line\n`;
    expect(newConsoleOutput(previous, rolled)).toBe('new line\n');
  });

  it('is the whole text when nothing of the previous read is left', () => {
    expect(newConsoleOutput('old\n', 'fresh\n')).toBe('fresh\n');
  });
});
