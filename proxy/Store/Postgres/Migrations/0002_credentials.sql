-- Consumer credentials for the authentication plugins, and ACL group memberships. Keys and passwords are
-- stored hashed (see SecretHash); the key column holds the hash, so uniqueness holds for the keys themselves.

CREATE TABLE keyauth_credentials (
    id uuid PRIMARY KEY,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    tags text[],
    doc jsonb NOT NULL,
    key text CONSTRAINT keyauth_credentials_key_key UNIQUE,
    consumer_id uuid CONSTRAINT keyauth_credentials_consumer_id_fkey REFERENCES consumers (id) ON DELETE CASCADE
);
CREATE INDEX keyauth_credentials_tags_idx ON keyauth_credentials USING gin (tags);
CREATE INDEX keyauth_credentials_consumer_id_idx ON keyauth_credentials (consumer_id);

CREATE TABLE basicauth_credentials (
    id uuid PRIMARY KEY,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    tags text[],
    doc jsonb NOT NULL,
    username text CONSTRAINT basicauth_credentials_username_key UNIQUE,
    consumer_id uuid CONSTRAINT basicauth_credentials_consumer_id_fkey REFERENCES consumers (id) ON DELETE CASCADE
);
CREATE INDEX basicauth_credentials_tags_idx ON basicauth_credentials USING gin (tags);
CREATE INDEX basicauth_credentials_consumer_id_idx ON basicauth_credentials (consumer_id);

CREATE TABLE jwt_secrets (
    id uuid PRIMARY KEY,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    tags text[],
    doc jsonb NOT NULL,
    key text CONSTRAINT jwt_secrets_key_key UNIQUE,
    consumer_id uuid CONSTRAINT jwt_secrets_consumer_id_fkey REFERENCES consumers (id) ON DELETE CASCADE
);
CREATE INDEX jwt_secrets_tags_idx ON jwt_secrets USING gin (tags);
CREATE INDEX jwt_secrets_consumer_id_idx ON jwt_secrets (consumer_id);

-- unique_key: one membership per consumer and group.
CREATE TABLE acls (
    id uuid PRIMARY KEY,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    tags text[],
    doc jsonb NOT NULL,
    consumer_id uuid CONSTRAINT acls_consumer_id_fkey REFERENCES consumers (id) ON DELETE CASCADE,
    unique_key text CONSTRAINT acls_unique_key_key UNIQUE
);
CREATE INDEX acls_tags_idx ON acls USING gin (tags);
CREATE INDEX acls_consumer_id_idx ON acls (consumer_id);
