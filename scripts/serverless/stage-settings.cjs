// Serverless plugin: checks the stage's settings file (stages/<stage>.yml) before `package` (and so
// `deploy`) builds anything, refuses to deploy the local stage, and refuses a deploy that would
// change the stage's token issuer unless --param="allowIssuerChange=true" is given. The rules are in
// stage-checks.ts; this file only hooks them into the serverless lifecycle. It is CommonJS because
// serverless loads plugins with require(); tsx loads the TypeScript rules (and lib/config/) as is.
'use strict';

const { require: requireTs } = require('tsx/cjs/api');

const checks = () => requireTs('./stage-checks.ts', __filename);

class StageSettings {
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options;
    this.hooks = {
      'before:package:initialize': () => this.check(),
      'before:package:finalize': () => this.addIssuerOutput(),
      'before:deploy:deploy': () => this.guardDeploy(),
    };
  }

  stage() {
    return this.serverless.getProvider('aws').getStage();
  }

  stageFile() {
    return this.serverless.service.custom?.stage ?? null;
  }

  fail(lines) {
    throw new this.serverless.classes.Error(`The stage settings are not deployable:\n  - ${lines.join('\n  - ')}`);
  }

  check() {
    const problems = checks().stageProblems(this.stage(), this.stageFile());
    if (problems.length) this.fail(problems);
  }

  addIssuerOutput() {
    const outputs = this.serverless.service.provider.compiledCloudFormationTemplate.Outputs;
    outputs.IssuerSetting = {
      Description: 'What decides the issuer of every token (ISSUER, PUBLIC_URL or the API endpoint); the next deploy compares it',
      Value: checks().issuerSetting(this.stageFile()),
    };
  }

  /** `--param="name=value"` given on the command line. */
  param(name) {
    const given = [].concat(this.options.param ?? []).map((entry) => String(entry).split('='));
    const found = given.find(([key]) => key === name);
    return found ? found.slice(1).join('=') : undefined;
  }

  async guardDeploy() {
    if (this.stageFile()?.localOnly) this.fail([`stage "${this.stage()}" is the local stage (npm start and the tests); deploy another stage`]);
    const provider = this.serverless.getProvider('aws');
    let deployed;
    try {
      const { Stacks } = await provider.request('CloudFormation', 'describeStacks', { StackName: provider.naming.getStackName() });
      deployed = Stacks?.[0]?.Outputs?.find((output) => output.OutputKey === 'IssuerSetting')?.OutputValue;
    } catch (error) {
      // A first deploy: there is no stack yet, so nothing to compare with.
      if (!/does not exist/.test(String(error?.message))) throw error;
    }
    const problem = checks().issuerChangeProblem(deployed, checks().issuerSetting(this.stageFile()), this.param('allowIssuerChange') === 'true');
    if (problem) this.fail([problem]);
  }
}

module.exports = StageSettings;
