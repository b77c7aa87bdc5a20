-- Sign-in and sign-up throttling, in the database so that it holds across instances.
CREATE TABLE throttle (
    -- e.g. 'signin-ip:203.0.113.9', 'signin-account:ana@example.com', 'signup-ip:…'
    key           TEXT PRIMARY KEY,
    -- Failures (or sign-ups) counted since the window started.
    failures      INTEGER NOT NULL,
    -- Unix seconds; requests are refused until then.
    blocked_until INTEGER NOT NULL,
    -- Unix seconds of the last event; counts older than the window start again at zero.
    updated_at    INTEGER NOT NULL
);
