/**
 * Variables that are environment-specific by nature, whatever their values say: two environments
 * that happen to share a region or an admin address today must still never have one copied onto
 * the other. `tfsync init` classifies these from the name alone, before it looks at any value.
 * And variables that are features by nature (images, application versions, timeouts, feature
 * flags, worker resources): their values differ between drifted environments, and such differences
 * are what promotion exists to fix, so the name outweighs them.
 *
 * Names are split into lowercase words (`user_node_max_size`, `userNodeMaxSize` → user node max
 * size) and matched word by word, so that `singleuser_image_tag` is not taken for `tags` nor
 * `dask_cluster_max_cores` for a cluster name or a max size.
 */

interface Rule {
  /** Completes "environment-specific by nature: ...". */
  reason: string;
  test: (words: readonly string[], name: string) => boolean;
}

const any = (...set: string[]) => (words: readonly string[]) => words.some((w) => set.includes(w));
/** A word of `first` directly followed by a word of `second`: `min_size`, `instance_type`. */
const pair = (first: string[], second: string[]) => (words: readonly string[]) =>
  words.some((w, i) => first.includes(w) && second.includes(words[i + 1] ?? ''));
const either = (...tests: Array<(words: readonly string[], name: string) => boolean>) => (words: readonly string[], name: string) =>
  tests.some((t) => t(words, name));

const SECRET = either(
  any('secret', 'secrets', 'password', 'passwd', 'passphrase', 'token', 'tokens', 'credential', 'credentials', 'apikey'),
  pair(['api', 'private', 'access', 'ssh', 'signing', 'encryption'], ['key', 'keys']),
);

const RULES: readonly Rule[] = [
  { reason: 'a credential (and sensitive)', test: SECRET },
  {
    reason: "the environment's own name",
    test: (words) => ['environment', 'env', 'stage', 'workspace'].includes(words[0] ?? '') && (words.length === 1 || (words.length === 2 && words[1] === 'name')),
  },
  { reason: 'a domain, host name or URL', test: any('domain', 'domains', 'hostname', 'hostnames', 'host', 'hosts', 'fqdn', 'url', 'urls', 'uri', 'uris', 'endpoint', 'endpoints', 'dns') },
  { reason: 'a region or zone', test: any('region', 'regions', 'location', 'zone', 'zones', 'az', 'azs') },
  { reason: 'network layout', test: any('cidr', 'cidrs', 'ip', 'ips', 'subnet', 'subnets', 'vpc', 'vnet', 'nat', 'peering') },
  {
    reason: 'an account, project or resource id',
    test: either(
      any('account', 'accounts', 'subscription', 'tenant', 'arn', 'arns'),
      (words) => ['id', 'ids'].includes(words[words.length - 1] ?? ''),
      pair(['project'], ['id', 'name', 'number']),
      (_, name) => name === 'project',
    ),
  },
  { reason: 'an email address', test: any('email', 'emails', 'mail') },
  {
    reason: 'node sizing (counts, sizes, replicas, instance types)',
    test: either(
      pair(['min', 'max', 'desired'], ['size', 'count', 'capacity', 'nodes', 'replicas', 'instances']),
      (words) => words.some((w) => w === 'node' || w === 'nodes') && words.some((w) => ['count', 'size', 'sizes', 'type', 'types', 'min', 'max', 'desired', 'instance', 'instances'].includes(w)),
      pair(['instance', 'machine', 'node', 'vm', 'db'], ['type', 'types', 'class', 'size', 'sizes']),
      pair(['instance', 'instances'], ['count']),
      any('replica', 'replicas'),
    ),
  },
  {
    reason: 'a safety switch',
    test: either(pair(['deletion', 'termination'], ['protection']), pair(['force', 'prevent'], ['destroy']), pair(['final'], ['snapshot'])),
  },
  { reason: 'a cluster name', test: either(pair(['cluster'], ['name']), (_, name) => name === 'cluster') },
  { reason: 'tags or labels', test: any('tags', 'labels') },
  { reason: 'a cost center', test: either(pair(['cost'], ['center', 'centre']), any('billing', 'costcenter')) },
  { reason: 'a bucket', test: any('bucket', 'buckets') },
  { reason: 'a certificate, which belongs to a domain', test: any('acm', 'certificate', 'certificates', 'cert', 'certs') },
];

/**
 * Features by nature, tried only when no rule above applies (so `enable_nat_gateway` stays network
 * layout and `worker_node_count` node sizing).
 */
const SYNCABLE_RULES: readonly Rule[] = [
  { reason: 'a container image (name or tag)', test: any('image', 'images') },
  {
    reason: 'an application version',
    // Not the platform's own version (Kubernetes, the database engine): those are upgraded one
    // environment at a time, on purpose.
    test: (words) =>
      words.some((w) => w === 'version' || w === 'versions') &&
      !words.some((w) => ['kubernetes', 'k8s', 'eks', 'gke', 'aks', 'cluster', 'node', 'nodes', 'engine', 'terraform', 'provider', 'platform', 'os', 'ami', 'db', 'database', 'postgres', 'mysql'].includes(w)),
  },
  { reason: 'a release tag', test: any('tag') },
  { reason: 'a timeout or interval', test: any('timeout', 'timeouts', 'ttl', 'interval', 'cull') },
  {
    reason: 'a feature flag',
    test: (words) =>
      ['enable', 'enabled', 'use', 'feature', 'features', 'allow', 'disable', 'disabled'].includes(words[0] ?? '') ||
      ['enabled', 'disabled'].includes(words[words.length - 1] ?? ''),
  },
  {
    reason: 'worker resources (what the workload needs, unlike node sizing)',
    test: (words) =>
      words.some((w) => ['worker', 'workers', 'executor', 'executors', 'kernel', 'notebook', 'singleuser'].includes(w)) &&
      words.some((w) => ['cores', 'cpu', 'cpus', 'memory', 'mem', 'threads', 'gpu', 'gpus', 'limit', 'limits', 'guarantee'].includes(w)),
  },
];

/** `user_node_max_size`, `userNodeMaxSize`, `user-node-max-size` → ["user", "node", "max", "size"]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_\-]+/)
    .filter(Boolean);
}

/** Why the name is environment-specific whatever its values, or undefined when it need not be. */
export function environmentSpecificByNature(name: string): string | undefined {
  const words = nameWords(name);
  return RULES.find((rule) => rule.test(words, name))?.reason;
}

/** Why the name is a feature whatever its values, or undefined when no rule says so. */
export function syncableByNature(name: string): string | undefined {
  if (environmentSpecificByNature(name) !== undefined) return undefined;
  const words = nameWords(name);
  return SYNCABLE_RULES.find((rule) => rule.test(words, name))?.reason;
}

/** Whether the name looks like a secret's (its values must be masked even if not declared sensitive). */
export function looksSecret(name: string): boolean {
  return SECRET(nameWords(name), name);
}
