-- Upstream TLS: CA certificates, and the service fields that point at certificates. A service's client certificate
-- is an ordinary reference (a certificate a service presents cannot be deleted). Its ca_certificates is an array of
-- ids, as Kong stores it; Postgres has no foreign keys on array elements, so the store checks those ids itself under
-- its write lock, and the GIN index finds the services that list a CA certificate about to be deleted.

CREATE TABLE ca_certificates (
    id uuid PRIMARY KEY,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    tags text[],
    doc jsonb NOT NULL,
    cert_digest text CONSTRAINT ca_certificates_cert_digest_key UNIQUE
);
CREATE INDEX ca_certificates_tags_idx ON ca_certificates USING gin (tags);

ALTER TABLE services
    ADD COLUMN client_certificate_id uuid
        CONSTRAINT services_client_certificate_id_fkey REFERENCES certificates (id) ON DELETE RESTRICT,
    ADD COLUMN ca_certificates uuid[];
CREATE INDEX services_client_certificate_id_idx ON services (client_certificate_id);
CREATE INDEX services_ca_certificates_idx ON services USING gin (ca_certificates);
