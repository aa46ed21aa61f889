/** A small repository shared by the renderer tests: every section, a secret, a default, a long list. */
import { repoOf } from './repository.js';

export const SECRET = 'hunter2-do-not-print';

export const fixtureRepo = () =>
  repoOf({
    variables: `variable "workers" {
  default = 2
}
variable "domain" {}
variable "password" {
  sensitive = true
}
variable "zones" {
  default = []
}
`,
    shared: 'image = "v1"\n',
    envs: {
      prod: `image = "v2"\ndomain = "prod.example"\npassword = "${SECRET}"\nzones = ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d", "us-west-2e"]\nodd = "a|b"\n`,
      test: `workers = 4\ndomain = "test.example"\npassword = "other-${SECRET}"\n`,
      dev: `workers = 2\ndomain = "test.example"\n`,
    },
    config: { syncable: ['image', 'workers'], environmentSpecific: ['domain', 'zones', 'password'], sensitive: ['password'] },
  });
