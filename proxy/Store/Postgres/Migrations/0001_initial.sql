-- The configuration store. One table per entity kind, named as the Admin API path. `doc` holds the whole
-- entity; the other columns exist so that Postgres itself enforces identity, uniqueness and references,
-- and so that listings can filter by parent and tags. Constraint names follow TableLayout's convention
-- (<table>_<column>_key, <table>_<column>_fkey): the store maps violations back to fields through them.

-- The configuration version: bumped by every write, sent with NOTIFY tollgate_config.
CREATE TABLE config_state (
    id int PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO config_state (id, version) VALUES (1, 0);

CREATE TABLE certificates (
    id uuid PRIMARY KEY,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    tags text[],
    doc jsonb NOT NULL
);
CREATE INDEX certificates_tags_idx ON certificates USING gin (tags);

CREATE TABLE snis (
    id uuid PRIMARY KEY,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    tags text[],
    doc jsonb NOT NULL,
    name text CONSTRAINT snis_name_key UNIQUE,
    certificate_id uuid CONSTRAINT snis_certificate_id_fkey REFERENCES certificates (id) ON DELETE CASCADE
);
CREATE INDEX snis_tags_idx ON snis USING gin (tags);
CREATE INDEX snis_certificate_id_idx ON snis (certificate_id);

CREATE TABLE services (
    id uuid PRIMARY KEY,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    tags text[],
    doc jsonb NOT NULL,
    name text CONSTRAINT services_name_key UNIQUE
);
CREATE INDEX services_tags_idx ON services USING gin (tags);

-- A service that routes still use cannot be deleted.
CREATE TABLE routes (
    id uuid PRIMARY KEY,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    tags text[],
    doc jsonb NOT NULL,
    name text CONSTRAINT routes_name_key UNIQUE,
    service_id uuid CONSTRAINT routes_service_id_fkey REFERENCES services (id) ON DELETE RESTRICT
);
CREATE INDEX routes_tags_idx ON routes USING gin (tags);
CREATE INDEX routes_service_id_idx ON routes (service_id);

CREATE TABLE upstreams (
    id uuid PRIMARY KEY,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    tags text[],
    doc jsonb NOT NULL,
    name text CONSTRAINT upstreams_name_key UNIQUE
);
CREATE INDEX upstreams_tags_idx ON upstreams USING gin (tags);

-- unique_key: the upstream and target address together.
CREATE TABLE targets (
    id uuid PRIMARY KEY,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    tags text[],
    doc jsonb NOT NULL,
    upstream_id uuid CONSTRAINT targets_upstream_id_fkey REFERENCES upstreams (id) ON DELETE CASCADE,
    unique_key text CONSTRAINT targets_unique_key_key UNIQUE
);
CREATE INDEX targets_tags_idx ON targets USING gin (tags);
CREATE INDEX targets_upstream_id_idx ON targets (upstream_id);

CREATE TABLE consumers (
    id uuid PRIMARY KEY,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    tags text[],
    doc jsonb NOT NULL,
    username text CONSTRAINT consumers_username_key UNIQUE,
    custom_id text CONSTRAINT consumers_custom_id_key UNIQUE
);
CREATE INDEX consumers_tags_idx ON consumers USING gin (tags);

-- unique_key: one plugin of a name per scope (service, route, consumer; none = global).
CREATE TABLE plugins (
    id uuid PRIMARY KEY,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    tags text[],
    doc jsonb NOT NULL,
    instance_name text CONSTRAINT plugins_instance_name_key UNIQUE,
    service_id uuid CONSTRAINT plugins_service_id_fkey REFERENCES services (id) ON DELETE CASCADE,
    route_id uuid CONSTRAINT plugins_route_id_fkey REFERENCES routes (id) ON DELETE CASCADE,
    consumer_id uuid CONSTRAINT plugins_consumer_id_fkey REFERENCES consumers (id) ON DELETE CASCADE,
    unique_key text CONSTRAINT plugins_unique_key_key UNIQUE
);
CREATE INDEX plugins_tags_idx ON plugins USING gin (tags);
CREATE INDEX plugins_service_id_idx ON plugins (service_id);
CREATE INDEX plugins_route_id_idx ON plugins (route_id);
CREATE INDEX plugins_consumer_id_idx ON plugins (consumer_id);
