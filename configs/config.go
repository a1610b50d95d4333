// Package configs loads the service configuration from environment variables and
// an optional .env file, applies the defaults and validates every value.
//
// example.env beside this file documents every variable with its default.
package configs

import (
	"net/netip"
	"os"
	"time"
)

// Mail drivers (MAIL_DRIVER).
const (
	MailLog  = "log"  // messages go to the log
	MailFile = "file" // one file per message in MAIL_DIR
	MailSMTP = "smtp" // sent through SMTP_URL
)

// Blob drivers (BLOB_DRIVER).
const (
	BlobFS     = "fs"     // files in BLOB_DIR
	BlobGridFS = "gridfs" // GridFS in the MongoDB database
	BlobS3     = "s3"     // an S3-compatible object store
)

// Log levels (LOG_LEVEL), from the most to the least verbose.
const (
	LogTrace = "trace"
	LogDebug = "debug"
	LogInfo  = "info"
	LogWarn  = "warn"
	LogError = "error"
)

// Log formats (LOG_FORMAT).
const (
	LogFormatJSON    = "json"    // one JSON object per line
	LogFormatConsole = "console" // coloured, for humans
)

// Limits enforced by Load.
const (
	MaxAccessTokenTTL = 24 * time.Hour // longest ACCESS_TOKEN_TTL
	// MaxDownloadLinkTTL is the longest DOWNLOAD_LINK_TTL: a link is a bearer
	// credential that browser histories and proxy logs may keep.
	MaxDownloadLinkTTL = 5 * time.Minute
)

// Config is the validated service configuration. Load returns it with every
// default applied, so no field needs a fallback at the point of use.
type Config struct {
	// HTTPAddr is the listen address, host:port (HTTP_ADDR).
	HTTPAddr string
	// MaxConnections caps the open connections of the HTTP listener; over it
	// a new connection is answered 503 and closed (MAX_CONNECTIONS).
	MaxConnections int
	// MaxConnectionsPerAddr caps the open connections of one client address
	// (an IPv6 /64 counts as one; TrustedProxies are exempt); 0 disables the
	// cap (MAX_CONNECTIONS_PER_ADDR).
	MaxConnectionsPerAddr int
	// MetricsAddr is the listen address of GET /metrics, host:port, never the
	// public one; "" when there is no metrics listener (METRICS_ADDR, empty or
	// off).
	MetricsAddr string

	// MongoDBURI is the MongoDB to use; empty means the embedded store in
	// DataDir (MONGODB_URI). It may contain a password: never log it.
	MongoDBURI string
	// MongoDBDatabase is the database name (MONGODB_DATABASE).
	MongoDBDatabase string
	// DataDir holds the embedded store, the generated signing key, file mail
	// and fs blobs by default (DATA_DIR).
	DataDir string

	// JWTKeysDir holds the Ed25519 private keys as <kid>.pem files; one is
	// generated when it is empty (JWT_KEYS_DIR, default DataDir/keys).
	JWTKeysDir string
	// JWTActiveKID is the key that signs; empty means the newest key
	// (JWT_ACTIVE_KID).
	JWTActiveKID string
	// JWTIssuer is the iss claim (JWT_ISSUER, default PublicBaseURL).
	JWTIssuer string
	// JWTAudience is the aud claim (JWT_AUDIENCE).
	JWTAudience string

	// AccessTokenTTL is the access token lifetime, at most MaxAccessTokenTTL
	// (ACCESS_TOKEN_TTL).
	AccessTokenTTL time.Duration
	// RefreshTokenTTL is the sliding refresh token lifetime (REFRESH_TOKEN_TTL).
	RefreshTokenTTL time.Duration
	// RefreshTokenAbsoluteTTL caps a session's life from its login, however
	// often it is refreshed (REFRESH_TOKEN_ABSOLUTE_TTL).
	RefreshTokenAbsoluteTTL time.Duration
	// RefreshReuseInterval is how long a rotated refresh token presented again
	// gets the refresh token its rotation made instead of revoking the
	// session; 0 disables the grace (REFRESH_REUSE_INTERVAL, default 10s).
	RefreshReuseInterval time.Duration

	// AdminEmail and AdminPassword are the first admin, created at start if
	// absent; both set or both empty (ADMIN_EMAIL, ADMIN_PASSWORD). Never log
	// AdminPassword.
	AdminEmail    string
	AdminPassword string

	// LoginLockoutThreshold is the number of consecutive failed logins that
	// lock an account (LOGIN_LOCKOUT_THRESHOLD).
	LoginLockoutThreshold int
	// LoginLockoutDuration is how long a locked account stays locked
	// (LOGIN_LOCKOUT_DURATION).
	LoginLockoutDuration time.Duration
	// PasswordResetTTL is the lifetime of a password reset link
	// (PASSWORD_RESET_TTL).
	PasswordResetTTL time.Duration
	// EmailVerificationTTL is the lifetime of an email verification link
	// (EMAIL_VERIFICATION_TTL).
	EmailVerificationTTL time.Duration
	// HashConcurrency is the most argon2id computations run at once; always at
	// least 1 (HASH_CONCURRENCY; its 0 is resolved to runtime.GOMAXPROCS(0),
	// the CPUs the process may use).
	HashConcurrency int

	// MailDriver is MailLog, MailFile or MailSMTP (MAIL_DRIVER).
	MailDriver string
	// MailDir is where the file driver writes one message per file
	// (MAIL_DIR, default DataDir/mail).
	MailDir string
	// SMTPURL is smtp[s]://user:pass@host:port, validated when MailDriver is
	// MailSMTP (SMTP_URL). It may contain a password: never log it.
	SMTPURL string
	// PublicBaseURL is the absolute http(s) URL used in links in mail, without
	// a trailing slash (PUBLIC_BASE_URL).
	PublicBaseURL string

	// MaxUploadBytes is the largest dataset file (MAX_UPLOAD_BYTES).
	MaxUploadBytes int64
	// UploadExpiry is how long an unfinished resumable upload is kept before
	// it and its bytes are deleted (UPLOAD_EXPIRY).
	UploadExpiry time.Duration
	// DownloadLinkTTL is the life of a download link, at most
	// MaxDownloadLinkTTL (DOWNLOAD_LINK_TTL).
	DownloadLinkTTL time.Duration
	// BlobDriver is BlobFS, BlobGridFS or BlobS3 (BLOB_DRIVER, default BlobFS
	// with the embedded store, else BlobGridFS).
	BlobDriver string
	// BlobDir is the folder of the fs driver (BLOB_DIR, default DataDir/blobs).
	BlobDir string
	// S3Endpoint is host[:port] or an http(s) URL; with S3Bucket it is required
	// when BlobDriver is BlobS3 (S3_ENDPOINT).
	S3Endpoint string
	// S3Bucket is the bucket (S3_BUCKET).
	S3Bucket string
	// S3Region is the region; empty lets the driver choose (S3_REGION).
	S3Region string
	// S3AccessKeyID and S3SecretAccessKey are static credentials, both set or
	// both empty (S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY). Never log the secret.
	S3AccessKeyID     string
	S3SecretAccessKey string

	// TrustedProxies are the networks whose X-Forwarded-For is believed; a bare
	// address is a /32 or /128 and an IPv4-mapped IPv6 address is unmapped, so
	// unmap the peer address before calling Contains (TRUSTED_PROXIES).
	TrustedProxies []netip.Prefix
	// RateLimits enables the per-address and per-account limits; the login
	// lockout stays on regardless (RATE_LIMITS).
	RateLimits bool
	// RateLimitPolicies are the limits applied while RateLimits is on
	// (RATE_LIMIT_*).
	RateLimitPolicies RateLimitPolicies
	// CORSAllowOrigins are "*" or origins such as https://app.example.org,
	// scheme and host in lower case (CORS_ALLOW_ORIGINS).
	CORSAllowOrigins []string

	// LogLevel is LogTrace, LogDebug, LogInfo, LogWarn or LogError (LOG_LEVEL).
	LogLevel string
	// LogFormat is LogFormatJSON or LogFormatConsole (LOG_FORMAT).
	LogFormat string

	// ShutdownTimeout bounds a graceful stop (SHUTDOWN_TIMEOUT).
	ShutdownTimeout time.Duration
	// ShutdownReadinessDelay is the first part of ShutdownTimeout, during
	// which /readyz answers 503 while requests are still served, so that load
	// balancers stop sending traffic before the listener closes
	// (SHUTDOWN_READINESS_DELAY).
	ShutdownReadinessDelay time.Duration
}

// Embedded reports whether the service runs on the embedded store, that is
// whether MONGODB_URI is empty.
func (c Config) Embedded() bool { return c.MongoDBURI == "" }

// FromEnvironment loads the configuration from the process environment and a
// .env file in the working folder, if there is one.
func FromEnvironment() (Config, error) { return Load(os.LookupEnv, ".env") }
