// Serverless plugin: adds the stage's CloudWatch alarms and dashboard (operations-resources.ts), one
// alarm per function so that a new function is watched without anyone remembering to add its alarm,
// and the authorizer's optional reserved concurrency to the compiled template. CommonJS because serverless loads plugins with require().
'use strict';

const { require: requireTs } = require('tsx/cjs/api');

class Operations {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.addResources() };
  }

  addResources() {
    const { service, provider } = { service: this.serverless.service, provider: this.serverless.getProvider('aws') };
    const deploy = service.custom?.stage?.deploy ?? {};
    const functions = Object.fromEntries(service.getAllFunctions().map((name) => [name, provider.naming.getLambdaLogicalId(name)]));
    const { operationsResources } = requireTs('./operations-resources.ts', __filename);
    const resources = operationsResources({
      stackPrefix: `${service.service}-${provider.getStage()}`,
      functions,
      authorizer: 'authorizer',
      rotation: 'rotateKeys',
      metricsNamespace: service.custom.metricsNamespace,
      alarmTopicArn: deploy.alarmTopicArn || undefined,
      failedLoginAlarmThreshold: Number(deploy.failedLoginAlarmThreshold || 100),
    });
    const template = service.provider.compiledCloudFormationTemplate.Resources;
    Object.assign(template, resources);
    // The capacity guard (docs/capacity.md): a share of the account's concurrency kept for the
    // authorizer, so a burst on other functions cannot starve every protected route.
    if (deploy.authorizerReservedConcurrency) {
      template[functions.authorizer].Properties.ReservedConcurrentExecutions = Number(deploy.authorizerReservedConcurrency);
    }
  }
}

module.exports = Operations;
