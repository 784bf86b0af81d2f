/**
 * The security scanner `npm run scan` runs: checkov from PyPI, installed into a project-local virtual environment
 * (`.venv-scan/`) at exactly this version, so two runs of the same outputs give the same findings.
 */
export const CHECKOV = { package: 'checkov', version: '3.3.30', index: 'https://pypi.org/project/checkov/' } as const;
