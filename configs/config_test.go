package configs

import (
	"bufio"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// env is a fake environment for Load.
type env map[string]string

func (e env) lookup(name string) (string, bool) {
	v, ok := e[name]
	return v, ok
}

// writeDotenv writes content to a .env file in a fresh folder and returns its path.
func writeDotenv(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), ".env")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// noDotenv is a .env path that does not exist.
func noDotenv(t *testing.T) string {
	return filepath.Join(t.TempDir(), ".env")
}

func mustLoad(t *testing.T, e env, dotenvPath string) Config {
	t.Helper()
	cfg, err := Load(e.lookup, dotenvPath)
	if err != nil {
		t.Fatalf("Load: unexpected error:\n%v", err)
	}
	return cfg
}

func problemsOf(t *testing.T, err error) []Problem {
	t.Helper()
	var cerr *Error
	if !errors.As(err, &cerr) {
		t.Fatalf("Load: want *configs.Error, got %T: %v", err, err)
	}
	return cerr.Problems
}

func TestLoad_defaults(t *testing.T) {
	t.Parallel()
	want := Config{
		HTTPAddr:                ":8000",
		MaxConnections:          4096,
		MaxConnectionsPerAddr:   512,
		MetricsAddr:             ":9090",
		MongoDBDatabase:         "civic_data_trust",
		DataDir:                 "./data",
		JWTKeysDir:              filepath.Join("data", "keys"),
		JWTIssuer:               "http://localhost:8000",
		JWTAudience:             "civictrust",
		AccessTokenTTL:          15 * time.Minute,
		RefreshTokenTTL:         168 * time.Hour,
		RefreshTokenAbsoluteTTL: 720 * time.Hour,
		RefreshReuseInterval:    10 * time.Second,
		LoginLockoutThreshold:   5,
		LoginLockoutDuration:    15 * time.Minute,
		PasswordResetTTL:        30 * time.Minute,
		EmailVerificationTTL:    48 * time.Hour,
		HashConcurrency:         runtime.GOMAXPROCS(0),
		MailDriver:              MailLog,
		MailDir:                 filepath.Join("data", "mail"),
		PublicBaseURL:           "http://localhost:8000",
		MaxUploadBytes:          1 << 30,
		UploadExpiry:            24 * time.Hour,
		DownloadLinkTTL:         5 * time.Minute,
		BlobDriver:              BlobFS,
		BlobDir:                 filepath.Join("data", "blobs"),
		RateLimits:              true,
		RateLimitPolicies: RateLimitPolicies{
			Signup:                      RateLimit{60, time.Hour},
			Login:                       RateLimit{30, time.Minute},
			LoginAccount:                RateLimit{10, time.Minute},
			Refresh:                     RateLimit{60, time.Minute},
			PasswordResetRequest:        RateLimit{60, time.Hour},
			PasswordResetRequestAccount: RateLimit{5, time.Hour},
			PasswordReset:               RateLimit{60, time.Hour},
			VerifyEmail:                 RateLimit{60, time.Hour},
			ResendVerification:          RateLimit{20, time.Hour},
			ResendVerificationAccount:   RateLimit{5, time.Hour},
		},
		CORSAllowOrigins:       []string{"*"},
		LogLevel:               LogInfo,
		LogFormat:              LogFormatJSON,
		ShutdownTimeout:        10 * time.Second,
		ShutdownReadinessDelay: 2 * time.Second,
	}
	for name, dotenvPath := range map[string]string{
		"missing_dotenv":   noDotenv(t),
		"no_dotenv_path":   "",
		"empty_dotenv":     writeDotenv(t, ""),
		"commented_sample": "example.env",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := mustLoad(t, env{}, dotenvPath)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("defaults:\n got %+v\nwant %+v", got, want)
			}
			if !got.Embedded() {
				t.Error("Embedded() = false without MONGODB_URI")
			}
		})
	}
}

func TestLoad_nil_lookup_reads_only_the_dotenv_file(t *testing.T) {
	t.Parallel()
	cfg, err := Load(nil, writeDotenv(t, "HTTP_ADDR=:9000\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTPAddr != ":9000" {
		t.Errorf("HTTPAddr = %q, want :9000", cfg.HTTPAddr)
	}
}

func TestLoad_environment_beats_dotenv(t *testing.T) {
	t.Parallel()
	dotenv := writeDotenv(t, `# a comment
HTTP_ADDR=:9000
LOG_LEVEL=debug
ACCESS_TOKEN_TTL=5m
MONGODB_DATABASE="from_file"
export SHUTDOWN_TIMEOUT=20s
`)
	tests := []struct {
		name  string
		env   env
		check func(t *testing.T, c Config)
	}{
		{
			name: "file_only",
			env:  env{},
			check: func(t *testing.T, c Config) {
				if c.HTTPAddr != ":9000" || c.LogLevel != LogDebug || c.AccessTokenTTL != 5*time.Minute ||
					c.MongoDBDatabase != "from_file" || c.ShutdownTimeout != 20*time.Second {
					t.Errorf("file values not applied: %+v", c)
				}
			},
		},
		{
			name: "environment_wins",
			env:  env{"HTTP_ADDR": "127.0.0.1:7000", "LOG_LEVEL": "warn"},
			check: func(t *testing.T, c Config) {
				if c.HTTPAddr != "127.0.0.1:7000" || c.LogLevel != LogWarn {
					t.Errorf("environment did not win: addr %q level %q", c.HTTPAddr, c.LogLevel)
				}
				if c.AccessTokenTTL != 5*time.Minute {
					t.Errorf("AccessTokenTTL = %v, want 5m from the file", c.AccessTokenTTL)
				}
			},
		},
		{
			name: "empty_environment_variable_wins_and_means_default",
			env:  env{"HTTP_ADDR": "", "ACCESS_TOKEN_TTL": "  "},
			check: func(t *testing.T, c Config) {
				if c.HTTPAddr != ":8000" || c.AccessTokenTTL != 15*time.Minute {
					t.Errorf("addr %q ttl %v, want the defaults", c.HTTPAddr, c.AccessTokenTTL)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.check(t, mustLoad(t, tt.env, dotenv))
		})
	}
}

func TestLoad_derived_defaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		env   env
		check func(t *testing.T, c Config)
	}{
		{
			name: "folders_follow_data_dir",
			env:  env{"DATA_DIR": "/srv/civic"},
			check: func(t *testing.T, c Config) {
				if c.JWTKeysDir != "/srv/civic/keys" || c.MailDir != "/srv/civic/mail" || c.BlobDir != "/srv/civic/blobs" {
					t.Errorf("keys %q mail %q blobs %q", c.JWTKeysDir, c.MailDir, c.BlobDir)
				}
			},
		},
		{
			name: "explicit_folders_win",
			env:  env{"DATA_DIR": "/srv/civic", "JWT_KEYS_DIR": "/k", "MAIL_DIR": "/m", "BLOB_DIR": "/b"},
			check: func(t *testing.T, c Config) {
				if c.JWTKeysDir != "/k" || c.MailDir != "/m" || c.BlobDir != "/b" {
					t.Errorf("keys %q mail %q blobs %q", c.JWTKeysDir, c.MailDir, c.BlobDir)
				}
			},
		},
		{
			name: "mongodb_means_gridfs",
			env:  env{"MONGODB_URI": "mongodb://db:27017"},
			check: func(t *testing.T, c Config) {
				if c.Embedded() || c.BlobDriver != BlobGridFS {
					t.Errorf("Embedded %v BlobDriver %q", c.Embedded(), c.BlobDriver)
				}
			},
		},
		{
			name: "explicit_blob_driver_wins",
			env:  env{"MONGODB_URI": "mongodb+srv://cluster.example.org", "BLOB_DRIVER": "FS"},
			check: func(t *testing.T, c Config) {
				if c.BlobDriver != BlobFS {
					t.Errorf("BlobDriver %q", c.BlobDriver)
				}
			},
		},
		{
			name: "issuer_follows_public_base_url",
			env:  env{"PUBLIC_BASE_URL": "https://data.example.org/trust/"},
			check: func(t *testing.T, c Config) {
				if c.PublicBaseURL != "https://data.example.org/trust" || c.JWTIssuer != c.PublicBaseURL {
					t.Errorf("PublicBaseURL %q JWTIssuer %q", c.PublicBaseURL, c.JWTIssuer)
				}
			},
		},
		{
			name: "explicit_issuer_wins",
			env:  env{"JWT_ISSUER": "civictrust-prod"},
			check: func(t *testing.T, c Config) {
				if c.JWTIssuer != "civictrust-prod" {
					t.Errorf("JWTIssuer %q", c.JWTIssuer)
				}
			},
		},
		{
			name: "explicit_hash_concurrency",
			env:  env{"HASH_CONCURRENCY": "3"},
			check: func(t *testing.T, c Config) {
				if c.HashConcurrency != 3 {
					t.Errorf("HashConcurrency %d", c.HashConcurrency)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.check(t, mustLoad(t, tt.env, ""))
		})
	}
}

func TestLoad_parses_values(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		env   env
		check func(t *testing.T, c Config)
	}{
		{
			name: "trusted_proxies",
			env:  env{"TRUSTED_PROXIES": "10.0.0.1, 192.168.7.9/16 ::1,2001:db8::/32 ::ffff:172.16.0.1"},
			check: func(t *testing.T, c Config) {
				want := []netip.Prefix{
					netip.MustParsePrefix("10.0.0.1/32"),
					netip.MustParsePrefix("192.168.0.0/16"),
					netip.MustParsePrefix("::1/128"),
					netip.MustParsePrefix("2001:db8::/32"),
					netip.MustParsePrefix("172.16.0.1/32"),
				}
				if !slices.Equal(c.TrustedProxies, want) {
					t.Errorf("TrustedProxies %v, want %v", c.TrustedProxies, want)
				}
			},
		},
		{
			name: "cors_origins",
			env:  env{"CORS_ALLOW_ORIGINS": " https://App.Example.org/ , http://localhost:3000,,"},
			check: func(t *testing.T, c Config) {
				want := []string{"https://app.example.org", "http://localhost:3000"}
				if !slices.Equal(c.CORSAllowOrigins, want) {
					t.Errorf("CORSAllowOrigins %q, want %q", c.CORSAllowOrigins, want)
				}
			},
		},
		{
			name: "rate_limits_off",
			env:  env{"RATE_LIMITS": "OFF"},
			check: func(t *testing.T, c Config) {
				if c.RateLimits {
					t.Error("RateLimits on")
				}
			},
		},
		{
			name: "rate_limits_false",
			env:  env{"RATE_LIMITS": "false"},
			check: func(t *testing.T, c Config) {
				if c.RateLimits {
					t.Error("RateLimits on")
				}
			},
		},
		{
			name: "rate_limits_1",
			env:  env{"RATE_LIMITS": "1"},
			check: func(t *testing.T, c Config) {
				if !c.RateLimits {
					t.Error("RateLimits off")
				}
			},
		},
		{
			name: "choices_are_case_insensitive",
			env:  env{"LOG_LEVEL": "TRACE", "LOG_FORMAT": "Console", "MAIL_DRIVER": "File"},
			check: func(t *testing.T, c Config) {
				if c.LogLevel != LogTrace || c.LogFormat != LogFormatConsole || c.MailDriver != MailFile {
					t.Errorf("level %q format %q mail %q", c.LogLevel, c.LogFormat, c.MailDriver)
				}
			},
		},
		{
			name: "zero_allowed_where_it_disables",
			env:  env{"REFRESH_REUSE_INTERVAL": "0"},
			check: func(t *testing.T, c Config) {
				if c.RefreshReuseInterval != 0 {
					t.Errorf("reuse %v", c.RefreshReuseInterval)
				}
			},
		},
		{
			name: "limits_are_inclusive",
			env:  env{"ACCESS_TOKEN_TTL": "24h", "REFRESH_REUSE_INTERVAL": "10s"},
			check: func(t *testing.T, c Config) {
				if c.AccessTokenTTL != 24*time.Hour || c.RefreshReuseInterval != 10*time.Second {
					t.Errorf("access %v reuse %v", c.AccessTokenTTL, c.RefreshReuseInterval)
				}
			},
		},
		{
			name: "smtp",
			env:  env{"MAIL_DRIVER": "smtp", "SMTP_URL": "smtps://user:p%40ss@mail.example.org:465"},
			check: func(t *testing.T, c Config) {
				if c.SMTPURL != "smtps://user:p%40ss@mail.example.org:465" {
					t.Errorf("SMTPURL %q", c.SMTPURL)
				}
			},
		},
		{
			name: "s3",
			env: env{"BLOB_DRIVER": "s3", "S3_ENDPOINT": "minio:9000", "S3_BUCKET": "datasets",
				"S3_REGION": "us-east-1", "S3_ACCESS_KEY_ID": "AKIA", "S3_SECRET_ACCESS_KEY": "secret"},
			check: func(t *testing.T, c Config) {
				if c.BlobDriver != BlobS3 || c.S3Endpoint != "minio:9000" || c.S3Bucket != "datasets" ||
					c.S3Region != "us-east-1" || c.S3AccessKeyID != "AKIA" || c.S3SecretAccessKey != "secret" {
					t.Errorf("s3 settings %+v", c)
				}
			},
		},
		{
			name: "admin_password_keeps_white_space",
			env:  env{"ADMIN_EMAIL": " admin@example.org ", "ADMIN_PASSWORD": " Pa55 word "},
			check: func(t *testing.T, c Config) {
				if c.AdminEmail != "admin@example.org" || c.AdminPassword != " Pa55 word " {
					t.Errorf("email %q password %q", c.AdminEmail, c.AdminPassword)
				}
			},
		},
		{
			name: "connection_caps",
			env:  env{"MAX_CONNECTIONS": "100", "MAX_CONNECTIONS_PER_ADDR": "0"},
			check: func(t *testing.T, c Config) {
				if c.MaxConnections != 100 || c.MaxConnectionsPerAddr != 0 {
					t.Errorf("MaxConnections %d MaxConnectionsPerAddr %d, want 100 and 0 (no per-address cap)", c.MaxConnections, c.MaxConnectionsPerAddr)
				}
			},
		},
		{
			name: "metrics_addr",
			env:  env{"METRICS_ADDR": "127.0.0.1:9100"},
			check: func(t *testing.T, c Config) {
				if c.MetricsAddr != "127.0.0.1:9100" {
					t.Errorf("MetricsAddr %q", c.MetricsAddr)
				}
			},
		},
		{
			name: "metrics_addr_set_to_nothing_turns_the_listener_off",
			env:  env{"METRICS_ADDR": " "},
			check: func(t *testing.T, c Config) {
				if c.MetricsAddr != "" {
					t.Errorf("MetricsAddr %q, want none", c.MetricsAddr)
				}
			},
		},
		{
			name: "metrics_addr_off",
			env:  env{"METRICS_ADDR": "OFF"},
			check: func(t *testing.T, c Config) {
				if c.MetricsAddr != "" {
					t.Errorf("MetricsAddr %q, want none", c.MetricsAddr)
				}
			},
		},
		{
			name: "misc",
			env: env{"HTTP_ADDR": "[::1]:0", "MAX_UPLOAD_BYTES": "5000000000", "JWT_ACTIVE_KID": "2025-01_a.b",
				"LOGIN_LOCKOUT_THRESHOLD": "3", "LOGIN_LOCKOUT_DURATION": "1m30s"},
			check: func(t *testing.T, c Config) {
				if c.HTTPAddr != "[::1]:0" || c.MaxUploadBytes != 5_000_000_000 || c.JWTActiveKID != "2025-01_a.b" ||
					c.LoginLockoutThreshold != 3 || c.LoginLockoutDuration != 90*time.Second {
					t.Errorf("%+v", c)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.check(t, mustLoad(t, tt.env, ""))
		})
	}
}

func TestLoad_each_bad_value_names_its_variable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		env      env
		variable string
		says     string // a fragment of the message
	}{
		{"duration_syntax", env{"ACCESS_TOKEN_TTL": "abc"}, "ACCESS_TOKEN_TTL", `"abc" is not a duration (e.g. 15m)`},
		{"duration_bare_number", env{"REFRESH_TOKEN_TTL": "3600"}, "REFRESH_TOKEN_TTL", "is not a duration"},
		{"duration_zero", env{"SHUTDOWN_TIMEOUT": "0s"}, "SHUTDOWN_TIMEOUT", "longer than zero"},
		{"duration_negative", env{"LOGIN_LOCKOUT_DURATION": "-1m"}, "LOGIN_LOCKOUT_DURATION", "longer than zero"},
		{"duration_negative_where_zero_allowed", env{"REFRESH_REUSE_INTERVAL": "-1s"}, "REFRESH_REUSE_INTERVAL", "negative"},
		{"access_ttl_too_long", env{"ACCESS_TOKEN_TTL": "25h"}, "ACCESS_TOKEN_TTL", "24h maximum"},
		{"download_link_ttl_too_long", env{"DOWNLOAD_LINK_TTL": "6m"}, "DOWNLOAD_LINK_TTL", "5m maximum"},
		{"upload_expiry_zero", env{"UPLOAD_EXPIRY": "0s"}, "UPLOAD_EXPIRY", "must be longer than zero"},
		{"absolute_ttl", env{"REFRESH_TOKEN_ABSOLUTE_TTL": "30d"}, "REFRESH_TOKEN_ABSOLUTE_TTL", "not a duration"},
		{"password_reset_ttl", env{"PASSWORD_RESET_TTL": "0"}, "PASSWORD_RESET_TTL", "longer than zero"},
		{"email_verification_ttl", env{"EMAIL_VERIFICATION_TTL": "x"}, "EMAIL_VERIFICATION_TTL", "not a duration"},
		{"lockout_threshold_zero", env{"LOGIN_LOCKOUT_THRESHOLD": "0"}, "LOGIN_LOCKOUT_THRESHOLD", "at least 1"},
		{"lockout_threshold_text", env{"LOGIN_LOCKOUT_THRESHOLD": "five"}, "LOGIN_LOCKOUT_THRESHOLD", "not a whole number"},
		{"hash_concurrency_negative", env{"HASH_CONCURRENCY": "-2"}, "HASH_CONCURRENCY", "negative"},
		{"max_upload_zero", env{"MAX_UPLOAD_BYTES": "0"}, "MAX_UPLOAD_BYTES", "at least 1"},
		{"max_upload_unit", env{"MAX_UPLOAD_BYTES": "1GB"}, "MAX_UPLOAD_BYTES", "not a whole number"},
		{"mail_driver", env{"MAIL_DRIVER": "sendmail"}, "MAIL_DRIVER", "not one of log, file, smtp"},
		{"smtp_missing", env{"MAIL_DRIVER": "smtp"}, "SMTP_URL", "must be set"},
		{"smtp_scheme", env{"MAIL_DRIVER": "smtp", "SMTP_URL": "http://h:25"}, "SMTP_URL", "smtp://"},
		{"smtp_no_port", env{"MAIL_DRIVER": "smtp", "SMTP_URL": "smtp://h"}, "SMTP_URL", "no port"},
		{"smtp_no_host", env{"MAIL_DRIVER": "smtp", "SMTP_URL": "smtp://:25"}, "SMTP_URL", "no host"},
		{"smtp_not_url", env{"MAIL_DRIVER": "smtp", "SMTP_URL": "smtp://h:25%"}, "SMTP_URL", "not a URL"},
		{"blob_driver", env{"BLOB_DRIVER": "disk"}, "BLOB_DRIVER", "not one of fs, gridfs, s3"},
		{"gridfs_without_mongodb", env{"BLOB_DRIVER": "gridfs"}, "BLOB_DRIVER", "needs MONGODB_URI"},
		{"s3_endpoint_missing", env{"BLOB_DRIVER": "s3", "S3_BUCKET": "b"}, "S3_ENDPOINT", "must be set"},
		{"s3_bucket_missing", env{"BLOB_DRIVER": "s3", "S3_ENDPOINT": "minio:9000"}, "S3_BUCKET", "must be set"},
		{"s3_endpoint_bad", env{"BLOB_DRIVER": "s3", "S3_ENDPOINT": "ftp://minio", "S3_BUCKET": "b"}, "S3_ENDPOINT", "is invalid"},
		{"s3_secret_missing", env{"BLOB_DRIVER": "s3", "S3_ENDPOINT": "minio:9000", "S3_BUCKET": "b", "S3_ACCESS_KEY_ID": "k"}, "S3_SECRET_ACCESS_KEY", "must be set when S3_ACCESS_KEY_ID"},
		{"s3_key_id_missing", env{"BLOB_DRIVER": "s3", "S3_ENDPOINT": "minio:9000", "S3_BUCKET": "b", "S3_SECRET_ACCESS_KEY": "s"}, "S3_ACCESS_KEY_ID", "must be set when S3_SECRET_ACCESS_KEY"},
		{"mongodb_uri", env{"MONGODB_URI": "postgres://db"}, "MONGODB_URI", "mongodb://"},
		{"mongodb_uri_no_host", env{"MONGODB_URI": "mongodb://"}, "MONGODB_URI", "mongodb://"},
		{"mongodb_database", env{"MONGODB_DATABASE": "civic.data"}, "MONGODB_DATABASE", "not a MongoDB database name"},
		{"http_addr_no_port", env{"HTTP_ADDR": "8000"}, "HTTP_ADDR", "not host:port"},
		{"http_addr_named_port", env{"HTTP_ADDR": ":http"}, "HTTP_ADDR", "port number"},
		{"http_addr_port_range", env{"HTTP_ADDR": ":70000"}, "HTTP_ADDR", "port number"},
		{"public_base_url_relative", env{"PUBLIC_BASE_URL": "/civic"}, "PUBLIC_BASE_URL", "absolute http(s) URL"},
		{"public_base_url_scheme", env{"PUBLIC_BASE_URL": "ftp://x.org"}, "PUBLIC_BASE_URL", "absolute http(s) URL"},
		{"public_base_url_query", env{"PUBLIC_BASE_URL": "https://x.org/?a=1"}, "PUBLIC_BASE_URL", "query"},
		{"public_base_url_user", env{"PUBLIC_BASE_URL": "https://u:p@x.org"}, "PUBLIC_BASE_URL", "user name"},
		{"log_level", env{"LOG_LEVEL": "verbose"}, "LOG_LEVEL", "trace, debug, info, warn, error"},
		{"log_format", env{"LOG_FORMAT": "text"}, "LOG_FORMAT", "json, console"},
		{"admin_password_missing", env{"ADMIN_EMAIL": "a@example.org"}, "ADMIN_PASSWORD", "must be set when ADMIN_EMAIL"},
		{"admin_email_missing", env{"ADMIN_PASSWORD": "Secret123"}, "ADMIN_EMAIL", "must be set when ADMIN_PASSWORD"},
		{"admin_email_bad", env{"ADMIN_EMAIL": "Admin <a@example.org>", "ADMIN_PASSWORD": "Secret123"}, "ADMIN_EMAIL", "not an email address"},
		{"cors_path", env{"CORS_ALLOW_ORIGINS": "https://app.example.org/login"}, "CORS_ALLOW_ORIGINS", `"https://app.example.org/login"`},
		{"cors_scheme", env{"CORS_ALLOW_ORIGINS": "*,app.example.org"}, "CORS_ALLOW_ORIGINS", `"app.example.org" is not * or an http(s) origin`},
		{"cors_empty_list", env{"CORS_ALLOW_ORIGINS": " , "}, "CORS_ALLOW_ORIGINS", "no origin"},
		{"rate_limits", env{"RATE_LIMITS": "maybe"}, "RATE_LIMITS", "not on or off"},
		{"trusted_proxies", env{"TRUSTED_PROXIES": "10.0.0.1,10.0.0.300"}, "TRUSTED_PROXIES", `"10.0.0.300"`},
		{"trusted_proxies_zone", env{"TRUSTED_PROXIES": "fe80::1%eth0"}, "TRUSTED_PROXIES", "not an IP address"},
		{"trusted_proxies_prefix", env{"TRUSTED_PROXIES": "10.0.0.0/33"}, "TRUSTED_PROXIES", "CIDR"},
		{"metrics_addr", env{"METRICS_ADDR": "9090"}, "METRICS_ADDR", "not host:port (e.g. :9090)"},
		{"max_connections_zero", env{"MAX_CONNECTIONS": "0"}, "MAX_CONNECTIONS", "at least 1"},
		{"max_connections_text", env{"MAX_CONNECTIONS": "many"}, "MAX_CONNECTIONS", "not a whole number (e.g. 4096)"},
		{"max_connections_per_addr_negative", env{"MAX_CONNECTIONS_PER_ADDR": "-1"}, "MAX_CONNECTIONS_PER_ADDR", "negative"},
		{"max_connections_huge", env{"MAX_CONNECTIONS": "99999999999"}, "MAX_CONNECTIONS", "not a whole number"},
		{"jwt_active_kid", env{"JWT_ACTIVE_KID": "../etc/passwd"}, "JWT_ACTIVE_KID", "key file name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(tt.env.lookup, "")
			if err == nil {
				t.Fatal("Load: want an error")
			}
			problems := problemsOf(t, err)
			if len(problems) != 1 {
				t.Fatalf("want 1 problem, got %d:\n%v", len(problems), err)
			}
			if problems[0].Variable != tt.variable {
				t.Errorf("problem names %q, want %q", problems[0].Variable, tt.variable)
			}
			line := err.Error()
			if strings.Contains(line, "\n") || !strings.HasPrefix(line, tt.variable+": ") || !strings.Contains(line, tt.says) {
				t.Errorf("error %q: want one line starting %q and containing %q", line, tt.variable+": ", tt.says)
			}
		})
	}
}

func TestLoad_several_bad_values_give_one_line_each(t *testing.T) {
	t.Parallel()
	_, err := Load(env{
		"ACCESS_TOKEN_TTL": "abc",
		"LOG_LEVEL":        "loud",
		"MAX_UPLOAD_BYTES": "-1",
		"TRUSTED_PROXIES":  "nope, 1.2.3.4, alsonope",
		"HTTP_ADDR":        "localhost",
	}.lookup, writeDotenv(t, "LOG_FORMAT=xml\n"))
	if err == nil {
		t.Fatal("Load: want an error")
	}
	want := []string{
		`HTTP_ADDR: "localhost" is not host:port (e.g. :8000)`,
		`ACCESS_TOKEN_TTL: "abc" is not a duration (e.g. 15m)`,
		`MAX_UPLOAD_BYTES: "-1" must be at least 1`,
		`TRUSTED_PROXIES: "nope" is not an IP address or a CIDR prefix (e.g. 10.0.0.0/8)`,
		`TRUSTED_PROXIES: "alsonope" is not an IP address or a CIDR prefix (e.g. 10.0.0.0/8)`,
		`LOG_LEVEL: "loud" is not one of trace, debug, info, warn, error`,
		`LOG_FORMAT: "xml" is not one of json, console`,
	}
	if got := strings.Split(err.Error(), "\n"); !slices.Equal(got, want) {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := len(problemsOf(t, err)); n != len(want) {
		t.Errorf("%d problems, want %d", n, len(want))
	}
}

func TestLoad_secrets_never_appear_in_errors(t *testing.T) {
	t.Parallel()
	const (
		adminPassword = "AdminPw-0xDEADBEEF"
		smtpPassword  = "SmtpPw-0xC0FFEE"
		mongoPassword = "MongoPw-0xFACADE"
		s3Secret      = "S3Secret-0xBADC0DE"
	)
	secrets := []string{adminPassword, smtpPassword, mongoPassword, s3Secret}
	tests := []struct {
		name   string
		env    env
		dotenv string
	}{
		{"admin_password_without_email", env{"ADMIN_PASSWORD": adminPassword}, ""},
		{"admin_password_with_bad_email", env{"ADMIN_EMAIL": "nope", "ADMIN_PASSWORD": adminPassword}, ""},
		{"smtp_without_port", env{"MAIL_DRIVER": "smtp", "SMTP_URL": "smtp://u:" + smtpPassword + "@host"}, ""},
		{"smtp_bad_scheme", env{"MAIL_DRIVER": "smtp", "SMTP_URL": "mail://u:" + smtpPassword + "@host:25"}, ""},
		{"smtp_unparsable", env{"MAIL_DRIVER": "smtp", "SMTP_URL": "smtp://u:" + smtpPassword + "@h:2%5"}, ""},
		{"smtp_port_zero", env{"MAIL_DRIVER": "smtp", "SMTP_URL": "smtp://u:" + smtpPassword + "@h:0"}, ""},
		{"mongodb_bad_scheme", env{"MONGODB_URI": "mongo://u:" + mongoPassword + "@db"}, ""},
		{"s3_secret_without_key_id", env{"BLOB_DRIVER": "s3", "S3_SECRET_ACCESS_KEY": s3Secret}, ""},
		{"s3_endpoint_with_credentials", env{"BLOB_DRIVER": "s3", "S3_BUCKET": "b",
			"S3_ENDPOINT": "https://k:" + s3Secret + "@minio:9000"}, ""},
		{"public_base_url_with_credentials", env{"PUBLIC_BASE_URL": "https://u:" + adminPassword + "@x.org"}, ""},
		{"malformed_dotenv", env{}, "ADMIN_PASSWORD=\"" + adminPassword + "\nSMTP_URL=smtp://u:" + smtpPassword + "@h:25\n"},
		{"malformed_dotenv_name", env{}, "ADMIN-PASSWORD=" + adminPassword + "\n"},
		{"everything_at_once", env{
			"ADMIN_PASSWORD":       adminPassword,
			"MAIL_DRIVER":          "smtp",
			"SMTP_URL":             "smtp://u:" + smtpPassword + "@host",
			"MONGODB_URI":          "x://u:" + mongoPassword + "@db",
			"BLOB_DRIVER":          "s3",
			"S3_SECRET_ACCESS_KEY": s3Secret,
			"ACCESS_TOKEN_TTL":     "nope",
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := ""
			if tt.dotenv != "" {
				path = writeDotenv(t, tt.dotenv)
			}
			_, err := Load(tt.env.lookup, path)
			if err == nil {
				t.Fatal("Load: want an error")
			}
			for _, s := range secrets {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error shows secret %q:\n%v", s, err)
				}
			}
		})
	}
}

func TestLoad_unreadable_dotenv_is_reported(t *testing.T) {
	t.Parallel()
	dir := t.TempDir() // a folder where a file is expected
	_, err := Load(env{}.lookup, dir)
	problems := problemsOf(t, err)
	if len(problems) != 1 || problems[0].Variable != dir || !strings.Contains(problems[0].Message, "cannot be read") {
		t.Errorf("problems %v", problems)
	}
}

func TestVariables_are_exactly_what_Load_reads(t *testing.T) {
	t.Parallel()
	var read []string
	_, err := Load(func(name string) (string, bool) {
		read = append(read, name)
		return "", false
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(read, Variables()) {
		t.Errorf("Load read %q,\nVariables() lists %q", read, Variables())
	}
	seen := map[string]bool{}
	for _, name := range Variables() {
		if seen[name] {
			t.Errorf("%s listed twice", name)
		}
		seen[name] = true
	}
}

// exampleAssignment matches "# NAME=value" lines of example.env.
var exampleAssignment = regexp.MustCompile(`^#\s?([A-Z][A-Z0-9_]*)=(.*)$`)

func TestExampleEnv_documents_every_variable_with_its_default(t *testing.T) {
	t.Parallel()
	f, err := os.Open("example.env")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	documented := map[string]string{}
	var prev string
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		line := scanner.Text()
		if m := exampleAssignment.FindStringSubmatch(line); m != nil {
			if _, dup := documented[m[1]]; dup {
				t.Errorf("example.env: %s appears twice", m[1])
			}
			documented[m[1]] = m[2]
			if !strings.HasPrefix(prev, "#") || exampleAssignment.MatchString(prev) {
				t.Errorf("example.env: %s has no comment above it", m[1])
			}
		}
		prev = line
	}
	if err := scanner.Err(); err != nil {
		t.Fatal(err)
	}

	for _, v := range catalog() {
		got, ok := documented[v.name]
		switch {
		case !ok:
			t.Errorf("example.env does not document %s", v.name)
		case got != v.def:
			t.Errorf("example.env shows %s=%s, the default is %q", v.name, got, v.def)
		}
		delete(documented, v.name)
	}
	for name := range documented {
		t.Errorf("example.env documents %s, which Load does not read", name)
	}
}

func TestError_renders_one_line_per_problem(t *testing.T) {
	t.Parallel()
	err := &Error{Problems: []Problem{{"A", "is bad"}, {"B", "is worse"}}}
	if got, want := err.Error(), "A: is bad\nB: is worse"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestLoad_metrics_addr_set_to_nothing_in_dotenv_turns_the_listener_off(t *testing.T) {
	t.Parallel()
	if cfg := mustLoad(t, env{}, writeDotenv(t, "METRICS_ADDR=\n")); cfg.MetricsAddr != "" {
		t.Errorf("MetricsAddr %q, want none", cfg.MetricsAddr)
	}
	if cfg := mustLoad(t, env{}, writeDotenv(t, "# METRICS_ADDR=\n")); cfg.MetricsAddr != ":9090" {
		t.Errorf("MetricsAddr %q with the line commented out, want the default", cfg.MetricsAddr)
	}
}
