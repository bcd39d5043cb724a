// Generates a large, realistic token estate for benchmarks and for trying the inventory.
//
// Usage: runner generate_inventory.groovy --users N --tokens M [--usable K --secrets-file PATH] [--seed S]
//
//   --users N          users to create (90% humans, 2% of them blocked; 10% service accounts), default 100
//   --tokens M         tokens to create, default 1000: personal, impersonation, project and group (each with
//                      its bot), deploy, trigger, feed, incoming mail, runner and agent tokens, with a mix of
//                      scopes, expiry dates (some none, some past, a fifth of the rest on one date 30 days
//                      ahead, like a mass expiry), last-used dates and addresses, some revoked
//   --usable K         make the first K tokens real personal access tokens with read_api (default 0) ...
//   --secrets-file P   ... and write their values to P, one per line (mode 0600)
//   --seed S           random seed, for a repeatable estate
//
// Groups, projects, runners and agents are created through the owner service; users, tokens, scopes and
// addresses with multi-row inserts, committed every 2000 tokens (under --dry-run everything is rolled back).

Inventory.generate(
        users: option('users', 100),
        tokens: option('tokens', 1000L),
        usable: option('usable', 0),
        secretsFile: option('secrets-file', null),
        seed: option('seed', System.nanoTime()))
