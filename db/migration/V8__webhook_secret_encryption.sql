-- Webhook secrets are encrypted at rest (AES-GCM, see dev.patrol.secrets.SecretCipher): the column holds
-- base64(12-byte nonce + ciphertext + 16-byte tag); a 255-character secret is at most 1020 bytes of UTF-8,
-- so 1048 bytes, 1400 base64 characters. secret_key_id names the key that sealed it; NULL marks a plaintext
-- secret from before this migration, which the application encrypts on start (WebhookSecretSweep).
ALTER TABLE webhooks MODIFY secret_token VARCHAR(1400);
ALTER TABLE webhooks ADD secret_key_id VARCHAR(64);
