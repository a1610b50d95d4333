package configs

// Names of the environment variables that Load reads. Each one is described, with
// its default, in example.env beside this file.
const (
	EnvHTTPAddr                = "HTTP_ADDR"
	EnvMaxConnections          = "MAX_CONNECTIONS"
	EnvMaxConnectionsPerAddr   = "MAX_CONNECTIONS_PER_ADDR"
	EnvMetricsAddr             = "METRICS_ADDR"
	EnvMongoDBURI              = "MONGODB_URI"
	EnvMongoDBDatabase         = "MONGODB_DATABASE"
	EnvDataDir                 = "DATA_DIR"
	EnvJWTKeysDir              = "JWT_KEYS_DIR"
	EnvJWTActiveKID            = "JWT_ACTIVE_KID"
	EnvJWTIssuer               = "JWT_ISSUER"
	EnvJWTAudience             = "JWT_AUDIENCE"
	EnvAccessTokenTTL          = "ACCESS_TOKEN_TTL"
	EnvRefreshTokenTTL         = "REFRESH_TOKEN_TTL"
	EnvRefreshTokenAbsoluteTTL = "REFRESH_TOKEN_ABSOLUTE_TTL"
	EnvRefreshReuseInterval    = "REFRESH_REUSE_INTERVAL"
	EnvAdminEmail              = "ADMIN_EMAIL"
	EnvAdminPassword           = "ADMIN_PASSWORD"
	EnvLoginLockoutThreshold   = "LOGIN_LOCKOUT_THRESHOLD"
	EnvLoginLockoutDuration    = "LOGIN_LOCKOUT_DURATION"
	EnvPasswordResetTTL        = "PASSWORD_RESET_TTL"
	EnvEmailVerificationTTL    = "EMAIL_VERIFICATION_TTL"
	EnvHashConcurrency         = "HASH_CONCURRENCY"
	EnvMailDriver              = "MAIL_DRIVER"
	EnvMailDir                 = "MAIL_DIR"
	EnvSMTPURL                 = "SMTP_URL"
	EnvPublicBaseURL           = "PUBLIC_BASE_URL"
	EnvMaxUploadBytes          = "MAX_UPLOAD_BYTES"
	EnvUploadExpiry            = "UPLOAD_EXPIRY"
	EnvDownloadLinkTTL         = "DOWNLOAD_LINK_TTL"
	EnvBlobDriver              = "BLOB_DRIVER"
	EnvBlobDir                 = "BLOB_DIR"
	EnvS3Endpoint              = "S3_ENDPOINT"
	EnvS3Bucket                = "S3_BUCKET"
	EnvS3Region                = "S3_REGION"
	EnvS3AccessKeyID           = "S3_ACCESS_KEY_ID"
	EnvS3SecretAccessKey       = "S3_SECRET_ACCESS_KEY"
	EnvTrustedProxies          = "TRUSTED_PROXIES"
	EnvRateLimits              = "RATE_LIMITS"
	// Per-address and per-account limits (see RateLimitPolicies).
	EnvRateLimitSignup                      = "RATE_LIMIT_SIGNUP"
	EnvRateLimitLogin                       = "RATE_LIMIT_LOGIN"
	EnvRateLimitLoginAccount                = "RATE_LIMIT_LOGIN_ACCOUNT"
	EnvRateLimitRefresh                     = "RATE_LIMIT_REFRESH"
	EnvRateLimitPasswordResetRequest        = "RATE_LIMIT_PASSWORD_RESET_REQUEST"
	EnvRateLimitPasswordResetRequestAccount = "RATE_LIMIT_PASSWORD_RESET_REQUEST_ACCOUNT"
	EnvRateLimitPasswordReset               = "RATE_LIMIT_PASSWORD_RESET"
	EnvRateLimitVerifyEmail                 = "RATE_LIMIT_VERIFY_EMAIL"
	EnvRateLimitResendVerification          = "RATE_LIMIT_RESEND_VERIFICATION"
	EnvRateLimitResendVerificationAccount   = "RATE_LIMIT_RESEND_VERIFICATION_ACCOUNT"
	EnvCORSAllowOrigins                     = "CORS_ALLOW_ORIGINS"
	EnvLogLevel                             = "LOG_LEVEL"
	EnvLogFormat                            = "LOG_FORMAT"
	EnvShutdownTimeout                      = "SHUTDOWN_TIMEOUT"
	EnvShutdownReadinessDelay               = "SHUTDOWN_READINESS_DELAY"
)

// variable describes one environment variable: its literal default (empty when
// the default is empty or derived from another variable), whether its value may
// ever be shown in an error message, and whether surrounding white space is part
// of the value.
type variable struct {
	name     string
	def      string
	redacted bool // secret or may embed credentials: never echoed in errors
	verbatim bool // white space is kept (passwords)
	// emptyIsValue: set to nothing, the variable is empty, not its default
	// (METRICS_ADDR= turns the metrics listener off).
	emptyIsValue bool
}

// catalog is the single list of the variables Load reads. It is a function, not
// a package variable, so that no caller can change it.
func catalog() []variable {
	return []variable{
		{name: EnvHTTPAddr, def: ":8000"},
		{name: EnvMaxConnections, def: "4096"},
		{name: EnvMaxConnectionsPerAddr, def: "512"},
		{name: EnvMetricsAddr, def: ":9090", emptyIsValue: true},
		{name: EnvMongoDBURI, redacted: true},
		{name: EnvMongoDBDatabase, def: "civic_data_trust"},
		{name: EnvDataDir, def: "./data"},
		{name: EnvJWTKeysDir},   // DATA_DIR/keys
		{name: EnvJWTActiveKID}, // the newest key
		{name: EnvJWTIssuer},    // PUBLIC_BASE_URL
		{name: EnvJWTAudience, def: "civictrust"},
		{name: EnvAccessTokenTTL, def: "15m"},
		{name: EnvRefreshTokenTTL, def: "168h"},
		{name: EnvRefreshTokenAbsoluteTTL, def: "720h"},
		{name: EnvRefreshReuseInterval, def: "10s"},
		{name: EnvAdminEmail},
		{name: EnvAdminPassword, redacted: true, verbatim: true},
		{name: EnvLoginLockoutThreshold, def: "5"},
		{name: EnvLoginLockoutDuration, def: "15m"},
		{name: EnvPasswordResetTTL, def: "30m"},
		{name: EnvEmailVerificationTTL, def: "48h"},
		{name: EnvHashConcurrency, def: "0"},
		{name: EnvMailDriver, def: MailLog},
		{name: EnvMailDir}, // DATA_DIR/mail
		{name: EnvSMTPURL, redacted: true},
		{name: EnvPublicBaseURL, def: "http://localhost:8000"},
		{name: EnvMaxUploadBytes, def: "1073741824"},
		{name: EnvUploadExpiry, def: "24h"},
		{name: EnvDownloadLinkTTL, def: "5m"},
		{name: EnvBlobDriver}, // fs when embedded, else gridfs
		{name: EnvBlobDir},    // DATA_DIR/blobs
		{name: EnvS3Endpoint, redacted: true},
		{name: EnvS3Bucket},
		{name: EnvS3Region},
		{name: EnvS3AccessKeyID},
		{name: EnvS3SecretAccessKey, redacted: true},
		{name: EnvTrustedProxies},
		{name: EnvRateLimits, def: "on"},
		{name: EnvRateLimitSignup, def: "60/1h"},
		{name: EnvRateLimitLogin, def: "30/1m"},
		{name: EnvRateLimitLoginAccount, def: "10/1m"},
		{name: EnvRateLimitRefresh, def: "60/1m"},
		{name: EnvRateLimitPasswordResetRequest, def: "60/1h"},
		{name: EnvRateLimitPasswordResetRequestAccount, def: "5/1h"},
		{name: EnvRateLimitPasswordReset, def: "60/1h"},
		{name: EnvRateLimitVerifyEmail, def: "60/1h"},
		{name: EnvRateLimitResendVerification, def: "20/1h"},
		{name: EnvRateLimitResendVerificationAccount, def: "5/1h"},
		{name: EnvCORSAllowOrigins, def: "*"},
		{name: EnvLogLevel, def: LogInfo},
		{name: EnvLogFormat, def: LogFormatJSON},
		{name: EnvShutdownTimeout, def: "10s"},
		{name: EnvShutdownReadinessDelay, def: "2s"},
	}
}

// Variables returns the names of every environment variable Load reads, in the
// order of example.env. The slice is new on every call.
func Variables() []string {
	vars := catalog()
	names := make([]string, len(vars))
	for i, v := range vars {
		names[i] = v.name
	}
	return names
}
