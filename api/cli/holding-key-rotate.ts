// npm run holding-key:rotate
// Adds a fresh holding key that seals from now on, and drops every older key that no held response needs any
// more (README, "Threat model"). Restart the API processes afterwards so they read the new file; until then they
// keep sealing with the key they read, which the file still holds.
import { holdingKeyFile } from '../config.js'
import { heldKeyIds } from '../db/queries/held-responses.js'
import { loadHoldingKeyring, rotateHoldingKey } from '../sealing/holding-key.js'
import { runWithDatabase } from './command-database.js'

await runWithDatabase('holding-key:rotate', async ({ db, config }) => {
  const path = holdingKeyFile(config)
  const current = loadHoldingKeyring(path).currentKeyId
  const needed = await heldKeyIds(db)
  // The current key stays too: a running API process may be sealing with it until it restarts.
  const { added, dropped } = rotateHoldingKey(path, (keyId) => keyId === current || needed.has(keyId))
  process.stdout.write(`Holding key ${added} now seals (${path}); ${dropped.length === 0 ? 'no key dropped' : `dropped ${dropped.join(', ')}`}. ` +
    'Restart the API processes so they read it.\n')
})
