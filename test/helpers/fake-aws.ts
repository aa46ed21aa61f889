/**
 * A loopback server that answers like AWS Secrets Manager and SSM Parameter Store over the AWS JSON
 * 1.1 protocol the SDK v3 clients speak: `POST /` with `X-Amz-Target: secretsmanager.<Operation>` or
 * `AmazonSSM.<Operation>`, `Content-Type: application/x-amz-json-1.1`, a SigV4 `Authorization` header;
 * answers in JSON, errors as `{"__type": "...", "message": "..."}` with the status AWS uses (400 for
 * client errors and throttling, 500 for internal errors). It checks the access key in the signature
 * (UnrecognizedClientException otherwise), denies names listed in `denied` (AccessDeniedException),
 * records every request, and can be told to fail the next ones.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from './loopback-server.js';

export interface AwsRequest {
  target: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

interface SecretVersion {
  id: string;
  string: string;
  stages: string[];
}

interface Parameter {
  type: string;
  versions: string[];
}

class AwsError {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly message: string,
  ) {}
}

export class FakeAws extends LoopbackServer {
  readonly requests: AwsRequest[] = [];
  /** Secrets Manager: name to versions, newest last (the newest holds AWSCURRENT). */
  readonly secrets = new Map<string, { versions: SecretVersion[]; deleted: boolean }>();
  /** SSM: parameter name to its type and values (version n is index n-1). */
  readonly parameters = new Map<string, Parameter>();
  /** Names (secret or parameter) the credentials may not touch. */
  readonly denied = new Set<string>();
  private failures: AwsError[] = [];
  private nextVersion = 1;

  constructor(readonly accessKeyId: string) {
    super();
  }

  reset(): void {
    this.requests.length = 0;
    this.secrets.clear();
    this.parameters.clear();
    this.denied.clear();
    this.failures = [];
  }

  putSecret(name: string, value: string): void {
    const entry = this.secrets.get(name) ?? { versions: [], deleted: false };
    for (const v of entry.versions) v.stages = v.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : [];
    entry.versions.push({ id: `v-${this.nextVersion++}`, string: value, stages: ['AWSCURRENT'] });
    this.secrets.set(name, entry);
  }

  currentSecret(name: string): string | undefined {
    return this.secrets.get(name)?.versions.find((v) => v.stages.includes('AWSCURRENT'))?.string;
  }

  putParameter(name: string, value: string, type = 'SecureString'): void {
    const entry = this.parameters.get(name) ?? { type, versions: [] };
    entry.versions.push(value);
    this.parameters.set(name, entry);
  }

  /** The next `times` requests fail with this error (e.g. 400 ThrottlingException). */
  failNext(status: number, type: string, message: string, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(new AwsError(status, type, message));
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const target = String(req.headers['x-amz-target'] ?? '');
    const request: AwsRequest = { target, contentType: req.headers['content-type'], authorization: req.headers['authorization'], body: raw ? JSON.parse(raw) : {} };
    this.requests.push(request);
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': `req-${this.requests.length}` });
      res.end(JSON.stringify(payload));
    };
    try {
      const failure = this.failures.shift();
      if (failure) throw failure;
      if (req.method !== 'POST' || request.contentType !== 'application/x-amz-json-1.1') throw new AwsError(400, 'SerializationException', 'Expected POST with application/x-amz-json-1.1');
      if (!request.authorization?.includes(`Credential=${this.accessKeyId}/`)) {
        throw new AwsError(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      }
      reply(200, this.operate(target, request.body));
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      reply(error.status, { __type: error.type, message: error.message });
    }
  }

  private operate(target: string, body: Record<string, unknown>): unknown {
    const name = String(body['SecretId'] ?? body['Name'] ?? '').replace(/:\d+$/, '');
    if (this.denied.has(name)) {
      throw new AwsError(400, 'AccessDeniedException', `User: arn:aws:iam::123456789012:user/test is not authorized to perform: ${target} on resource: ${name}`);
    }
    switch (target) {
      case 'secretsmanager.GetSecretValue': {
        const entry = this.liveSecret(name);
        const version = body['VersionId']
          ? entry.versions.find((v) => v.id === body['VersionId'])
          : entry.versions.find((v) => v.stages.includes(String(body['VersionStage'] ?? 'AWSCURRENT')));
        if (!version) throw new AwsError(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label or version.");
        return { ARN: this.arn(name), Name: name, VersionId: version.id, SecretString: version.string, VersionStages: version.stages };
      }
      case 'secretsmanager.DescribeSecret': {
        const entry = this.secrets.get(name);
        if (!entry) throw new AwsError(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        return { ARN: this.arn(name), Name: name, ...(entry.deleted ? { DeletedDate: 1_700_000_000 } : {}), VersionIdsToStages: Object.fromEntries(entry.versions.map((v) => [v.id, v.stages])) };
      }
      case 'secretsmanager.PutSecretValue': {
        this.liveSecret(name);
        this.putSecret(name, String(body['SecretString']));
        return { ARN: this.arn(name), Name: name, VersionId: `v-${this.nextVersion - 1}`, VersionStages: ['AWSCURRENT'] };
      }
      case 'secretsmanager.CreateSecret': {
        if (this.secrets.has(name)) throw new AwsError(400, 'ResourceExistsException', 'The operation failed because the secret already exists.');
        this.putSecret(name, String(body['SecretString']));
        return { ARN: this.arn(name), Name: name, VersionId: `v-${this.nextVersion - 1}` };
      }
      case 'AmazonSSM.GetParameter': {
        const selector = /:(\d+)$/.exec(String(body['Name']));
        const parameter = this.parameters.get(name);
        const index = selector ? Number(selector[1]) - 1 : (parameter?.versions.length ?? 0) - 1;
        const value = parameter?.versions[index];
        if (!parameter || value === undefined) throw new AwsError(400, selector && parameter ? 'ParameterVersionNotFound' : 'ParameterNotFound', '');
        const shown = parameter.type === 'SecureString' && body['WithDecryption'] !== true ? 'AQICAHencrypted' : value;
        return { Parameter: { Name: name, Type: parameter.type, Value: shown, Version: index + 1, ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${name}`, DataType: 'text' } };
      }
      case 'AmazonSSM.DescribeParameters': {
        const filters = (body['ParameterFilters'] ?? []) as Array<{ Key: string; Option?: string; Values: string[] }>;
        const wanted = filters.find((f) => f.Key === 'Name' && (f.Option ?? 'Equals') === 'Equals')?.Values ?? [];
        const found = [...this.parameters].filter(([n]) => wanted.includes(n));
        return { Parameters: found.map(([n, p]) => ({ Name: n, Type: p.type, Version: p.versions.length })) };
      }
      case 'AmazonSSM.PutParameter': {
        const existing = this.parameters.get(name);
        if (existing && body['Overwrite'] !== true) throw new AwsError(400, 'ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
        const type = String(body['Type'] ?? existing?.type ?? 'String');
        if (existing) existing.type = type;
        this.putParameter(name, String(body['Value']), type);
        return { Version: this.parameters.get(name)!.versions.length, Tier: 'Standard' };
      }
      default:
        throw new AwsError(400, 'UnknownOperationException', `Unknown operation ${target}`);
    }
  }

  private liveSecret(name: string): { versions: SecretVersion[]; deleted: boolean } {
    const entry = this.secrets.get(name);
    if (!entry) throw new AwsError(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    if (entry.deleted) throw new AwsError(400, 'InvalidRequestException', 'You can\u2019t perform this operation on the secret because it was marked for deletion.');
    return entry;
  }

  private arn(name: string): string {
    return `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`;
  }
}
