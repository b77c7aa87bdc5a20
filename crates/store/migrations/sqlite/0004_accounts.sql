-- Accounts. A guest's attempts move to the account when the guest signs up or signs in.
CREATE TABLE users (
    -- 'u-' and 32 random hex digits.
    id            TEXT PRIMARY KEY,
    -- Lower-cased; one account per address.
    email         TEXT NOT NULL UNIQUE,
    -- argon2id in PHC string form; never logged.
    password_hash TEXT NOT NULL,
    display_name  TEXT NOT NULL DEFAULT '',
    -- learner | author | admin
    role          TEXT NOT NULL DEFAULT 'learner',
    created_at    TEXT NOT NULL
);

-- Web sessions (tower-sessions records), shared by every instance that uses this database.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    -- The session's data as JSON.
    data       TEXT NOT NULL,
    -- Unix seconds; expired rows are ignored and swept.
    expires_at INTEGER NOT NULL
);

CREATE INDEX sessions_by_expiry ON sessions (expires_at);
