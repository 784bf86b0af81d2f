/** A printed runbook: a title, then numbered steps of shell commands; steps without commands are left out. */
export class Runbook {
  private readonly lines: string[];
  private step = 0;

  constructor(title: string) {
    this.lines = [`# ${title}`, ''];
  }

  public section(title: string, commands: readonly string[]): void {
    if (commands.length) this.lines.push(`# ${++this.step}. ${title}`, ...commands, '');
  }

  public toString(): string {
    return this.lines.join('\n').trimEnd();
  }
}
