package configs

import (
	"errors"
	"io/fs"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"
)

// Load reads the configuration. A variable comes from lookup when lookup finds
// it (even empty), else from the .env file at dotenvPath; the file is optional,
// never changes the process environment, and is skipped when dotenvPath is
// empty. A nil lookup finds nothing. An empty value means the default (but an
// empty METRICS_ADDR turns the metrics listener off). White space around values
// is ignored, except in ADMIN_PASSWORD.
//
// When any value is bad, Load returns a zero Config and an *Error that lists
// every problem, one line each, naming the variable; secret values are never
// quoted.
func Load(lookup func(string) (string, bool), dotenvPath string) (Config, error) {
	l := &loader{vars: make(map[string]variable), values: make(map[string]string)}
	file := l.readDotenv(dotenvPath)
	for _, v := range catalog() {
		l.vars[v.name] = v
		s, ok := "", false
		if lookup != nil {
			s, ok = lookup(v.name)
		}
		if !ok {
			s, ok = file[v.name]
		}
		if !v.verbatim {
			s = strings.TrimSpace(s)
		}
		if s != "" || ok && v.emptyIsValue {
			l.values[v.name] = s
		}
	}

	cfg := l.config()
	if len(l.problems) > 0 {
		return Config{}, &Error{Problems: l.problems}
	}
	return cfg, nil
}

// loader holds the raw values of one Load call and the problems found so far.
type loader struct {
	vars     map[string]variable
	values   map[string]string // non-empty values only
	problems []Problem
}

// readDotenv returns the variables of the .env file, or nil when there is none.
func (l *loader) readDotenv(path string) map[string]string {
	if path == "" {
		return nil
	}
	m, err := godotenv.Read(path)
	var pathErr *fs.PathError
	switch {
	case err == nil:
		return m
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case errors.As(err, &pathErr):
		l.problem(path, "cannot be read: "+pathErr.Err.Error())
	default:
		// The parser's message quotes the file, which may hold secrets.
		l.problem(path, "is not a valid .env file (NAME=value lines)")
	}
	return nil
}

func (l *loader) variable(name string) variable {
	v, ok := l.vars[name]
	if !ok {
		panic("configs: " + name + " is read but missing from catalog()")
	}
	return v
}

// value returns the variable's value, or its literal default when it is unset.
func (l *loader) value(name string) string {
	v := l.variable(name)
	if s, ok := l.values[name]; ok {
		return s
	}
	return v.def
}

// isSet reports whether the variable has a non-empty value.
func (l *loader) isSet(name string) bool {
	l.variable(name)
	_, ok := l.values[name]
	return ok
}

// problem records a message that quotes no value.
func (l *loader) problem(name, message string) {
	l.problems = append(l.problems, Problem{Variable: name, Message: message})
}

// invalid records that value (the variable's value or one entry of it) is
// wrong for reason, a predicate such as "is not a duration". The value is only
// quoted when the variable is not redacted.
func (l *loader) invalid(name, value, reason string) {
	if l.variable(name).redacted {
		l.problem(name, "is invalid: the value (not shown) "+reason)
		return
	}
	l.problem(name, strconv.Quote(value)+" "+reason)
}

// config builds the Config, recording every problem.
func (l *loader) config() Config {
	c := Config{
		HTTPAddr:              l.httpAddr(EnvHTTPAddr),
		MaxConnections:        int(l.integer(EnvMaxConnections, 1, 32)),
		MaxConnectionsPerAddr: int(l.integer(EnvMaxConnectionsPerAddr, 0, 32)),
		MetricsAddr:           l.metricsAddr(EnvMetricsAddr),
		MongoDBURI:            l.mongoURI(EnvMongoDBURI),
		MongoDBDatabase:       l.mongoDatabase(EnvMongoDBDatabase),
		DataDir:               l.value(EnvDataDir),
		JWTActiveKID:          l.kid(EnvJWTActiveKID),
		JWTAudience:           l.value(EnvJWTAudience),

		AccessTokenTTL:          l.duration(EnvAccessTokenTTL, false, MaxAccessTokenTTL),
		RefreshTokenTTL:         l.duration(EnvRefreshTokenTTL, false, 0),
		RefreshTokenAbsoluteTTL: l.duration(EnvRefreshTokenAbsoluteTTL, false, 0),
		RefreshReuseInterval:    l.duration(EnvRefreshReuseInterval, true, 0),

		LoginLockoutThreshold: int(l.integer(EnvLoginLockoutThreshold, 1, strconv.IntSize)),
		LoginLockoutDuration:  l.duration(EnvLoginLockoutDuration, false, 0),
		PasswordResetTTL:      l.duration(EnvPasswordResetTTL, false, 0),
		EmailVerificationTTL:  l.duration(EnvEmailVerificationTTL, false, 0),
		HashConcurrency:       int(l.integer(EnvHashConcurrency, 0, strconv.IntSize)),

		MailDriver:    l.choice(EnvMailDriver, MailLog, MailFile, MailSMTP),
		PublicBaseURL: l.baseURL(EnvPublicBaseURL),

		MaxUploadBytes:  l.integer(EnvMaxUploadBytes, 1, 64),
		UploadExpiry:    l.duration(EnvUploadExpiry, false, 0),
		DownloadLinkTTL: l.duration(EnvDownloadLinkTTL, false, MaxDownloadLinkTTL),
		S3Endpoint:      l.value(EnvS3Endpoint),
		S3Bucket:        l.value(EnvS3Bucket),
		S3Region:        l.value(EnvS3Region),

		TrustedProxies:    l.prefixes(EnvTrustedProxies),
		RateLimits:        l.onOff(EnvRateLimits),
		RateLimitPolicies: l.rateLimitPolicies(),
		CORSAllowOrigins:  l.origins(EnvCORSAllowOrigins),

		LogLevel:  l.choice(EnvLogLevel, LogTrace, LogDebug, LogInfo, LogWarn, LogError),
		LogFormat: l.choice(EnvLogFormat, LogFormatJSON, LogFormatConsole),

		ShutdownTimeout: l.duration(EnvShutdownTimeout, false, 0),
	}
	c.ShutdownReadinessDelay = l.readinessDelay(EnvShutdownReadinessDelay, c.ShutdownTimeout)

	c.JWTKeysDir = l.dir(EnvJWTKeysDir, c.DataDir, "keys")
	c.MailDir = l.dir(EnvMailDir, c.DataDir, "mail")
	c.BlobDir = l.dir(EnvBlobDir, c.DataDir, "blobs")

	c.JWTIssuer = c.PublicBaseURL
	if l.isSet(EnvJWTIssuer) {
		c.JWTIssuer = l.value(EnvJWTIssuer)
	}
	if c.HashConcurrency == 0 {
		c.HashConcurrency = runtime.GOMAXPROCS(0)
	}

	c.AdminEmail, c.AdminPassword = l.admin()

	if c.MailDriver == MailSMTP {
		c.SMTPURL = l.smtpURL(EnvSMTPURL)
	} else {
		c.SMTPURL = l.value(EnvSMTPURL)
	}

	if l.isSet(EnvBlobDriver) {
		c.BlobDriver = l.choice(EnvBlobDriver, BlobFS, BlobGridFS, BlobS3)
		if c.BlobDriver == BlobGridFS && c.Embedded() {
			l.problem(EnvBlobDriver, "gridfs keeps files in MongoDB: it needs "+EnvMongoDBURI+" (the embedded store uses fs or s3)")
		}
	} else if c.Embedded() {
		c.BlobDriver = BlobFS
	} else {
		c.BlobDriver = BlobGridFS
	}
	c.S3AccessKeyID = l.value(EnvS3AccessKeyID)
	c.S3SecretAccessKey = l.value(EnvS3SecretAccessKey)
	if c.BlobDriver == BlobS3 {
		l.s3(c.S3Endpoint)
		l.pair(EnvS3AccessKeyID, EnvS3SecretAccessKey)
	}
	return c
}

// duration parses a Go duration that must be positive (or not negative when
// zero is allowed) and at most limit when limit is not zero.
func (l *loader) duration(name string, zero bool, limit time.Duration) time.Duration {
	s := l.value(name)
	d, err := time.ParseDuration(s)
	if err != nil {
		example := l.variable(name).def
		if example == "0s" {
			example = "30s"
		}
		l.invalid(name, s, "is not a duration (e.g. "+example+")")
		return 0
	}
	switch {
	case zero && d < 0:
		l.invalid(name, s, "must not be negative")
	case !zero && d <= 0:
		l.invalid(name, s, "must be longer than zero")
	case limit > 0 && d > limit:
		l.invalid(name, s, "is longer than the "+shortDuration(limit)+" maximum")
	default:
		return d
	}
	return 0
}

// shortDuration renders 24h0m0s as 24h and 5s as 5s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// integer parses a decimal integer of at least floor that fits in bits.
func (l *loader) integer(name string, floor int64, bits int) int64 {
	s := l.value(name)
	n, err := strconv.ParseInt(s, 10, bits)
	if err != nil {
		l.invalid(name, s, "is not a whole number (e.g. "+l.variable(name).def+")")
		return 0
	}
	if n < floor {
		if floor == 1 {
			l.invalid(name, s, "must be at least 1")
		} else {
			l.invalid(name, s, "must not be negative")
		}
		return 0
	}
	return n
}

// choice returns the value in lower case when it is one of allowed.
func (l *loader) choice(name string, allowed ...string) string {
	s := strings.ToLower(l.value(name))
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	l.invalid(name, l.value(name), "is not one of "+strings.Join(allowed, ", "))
	return ""
}

// onOff parses on/off, true/false or 1/0.
func (l *loader) onOff(name string) bool {
	switch s := l.value(name); strings.ToLower(s) {
	case "on", "true", "1":
		return true
	case "off", "false", "0":
		return false
	default:
		l.invalid(name, s, "is not on or off")
		return false
	}
}

// dir returns the variable, or the folder sub of dataDir when it is unset.
func (l *loader) dir(name, dataDir, sub string) string {
	if l.isSet(name) {
		return l.value(name)
	}
	return filepath.Join(dataDir, sub)
}

// httpAddr checks host:port with a numeric port (0 picks a free one).
func (l *loader) httpAddr(name string) string {
	s := l.value(name)
	example := " (e.g. " + l.variable(name).def + ")"
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		l.invalid(name, s, "is not host:port"+example)
		return ""
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n > 65535 {
		l.invalid(name, s, "has no port number between 0 and 65535"+example)
		return ""
	}
	return s
}

// metricsAddr is host:port, or "" when empty or off (no metrics listener).
func (l *loader) metricsAddr(name string) string {
	if s := l.value(name); s == "" || strings.EqualFold(s, "off") {
		return ""
	}
	return l.httpAddr(name)
}

// mongoURI checks the scheme only; the driver checks the rest at connect.
func (l *loader) mongoURI(name string) string {
	s := l.value(name)
	if s == "" {
		return ""
	}
	for _, prefix := range []string{"mongodb://", "mongodb+srv://"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok && rest != "" {
			return s
		}
	}
	l.invalid(name, s, "must start with mongodb:// or mongodb+srv:// and name a host")
	return ""
}

// mongoDatabase checks MongoDB's database name rules.
func (l *loader) mongoDatabase(name string) string {
	s := l.value(name)
	if len(s) > 63 || strings.ContainsAny(s, "/\\. \"$*<>:|?\x00") {
		l.invalid(name, s, `is not a MongoDB database name (at most 63 bytes, none of /\. "$*<>:|?)`)
		return ""
	}
	return s
}

// kid checks that a key id names a file in the keys folder.
func (l *loader) kid(name string) string {
	s := l.value(name)
	if s == "" {
		return ""
	}
	ok := len(s) <= 128 && s[0] != '.'
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			ok = false
		}
	}
	if !ok {
		l.invalid(name, s, "is not a key file name without .pem (letters, digits, . _ -)")
		return ""
	}
	return s
}

// baseURL checks an absolute http(s) URL and drops its trailing slashes.
func (l *loader) baseURL(name string) string {
	s := l.value(name)
	u, err := url.Parse(s)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.Opaque != "":
		l.invalid(name, s, "is not an absolute http(s) URL (e.g. https://data.example.org)")
	case u.User != nil:
		l.problem(name, "must not contain a user name or password")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		l.invalid(name, s, "must not have a query or a fragment")
	default:
		return u.Scheme + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/")
	}
	return ""
}

// origins parses a comma-separated list of "*" and http(s) origins.
func (l *loader) origins(name string) []string {
	var out []string
	bad := false
	for entry := range strings.SplitSeq(l.value(name), ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		if entry == "*" {
			out = append(out, entry)
			continue
		}
		u, err := url.Parse(entry)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" ||
			u.Opaque != "" || u.User != nil || (u.Path != "" && u.Path != "/") ||
			u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
			l.invalid(name, entry, "is not * or an http(s) origin (e.g. https://app.example.org)")
			bad = true
			continue
		}
		out = append(out, u.Scheme+"://"+strings.ToLower(u.Host))
	}
	if len(out) == 0 && !bad {
		l.invalid(name, l.value(name), "lists no origin (use * to allow any)")
	}
	if bad {
		return nil
	}
	return out
}

// prefixes parses IP addresses and CIDR prefixes separated by commas or spaces.
func (l *loader) prefixes(name string) []netip.Prefix {
	var out []netip.Prefix
	bad := false
	entries := strings.FieldsFunc(l.value(name), func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	for _, entry := range entries {
		p, ok := parsePrefix(entry)
		if !ok {
			l.invalid(name, entry, "is not an IP address or a CIDR prefix (e.g. 10.0.0.0/8)")
			bad = true
			continue
		}
		out = append(out, p)
	}
	if bad {
		return nil
	}
	return out
}

func parsePrefix(s string) (netip.Prefix, bool) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

// admin returns the first admin's email and password: both or neither.
func (l *loader) admin() (email, password string) {
	if !l.pair(EnvAdminEmail, EnvAdminPassword) {
		return "", ""
	}
	email = l.value(EnvAdminEmail)
	if email == "" {
		return "", ""
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Name != "" || a.Address != email {
		l.invalid(EnvAdminEmail, email, "is not an email address")
		return "", ""
	}
	return email, l.value(EnvAdminPassword)
}

// pair reports whether the two variables are both set or both unset, and
// records a problem on the missing one when not.
func (l *loader) pair(a, b string) bool {
	switch setA, setB := l.isSet(a), l.isSet(b); {
	case setA && !setB:
		l.problem(b, "must be set when "+a+" is set")
	case setB && !setA:
		l.problem(a, "must be set when "+b+" is set")
	default:
		return true
	}
	return false
}

// smtpURL checks smtp[s]://[user[:pass]@]host:port.
func (l *loader) smtpURL(name string) string {
	if !l.isSet(name) {
		l.problem(name, "must be set when "+EnvMailDriver+" is smtp (smtp://user:pass@host:port)")
		return ""
	}
	s := l.value(name)
	u, err := url.Parse(s)
	const want = " (expected smtp://user:pass@host:port or smtps://…)"
	switch {
	case err != nil || u.Opaque != "":
		l.invalid(name, s, "is not a URL"+want)
	case u.Scheme != "smtp" && u.Scheme != "smtps":
		l.invalid(name, s, "does not start with smtp:// or smtps://"+want)
	case u.Hostname() == "":
		l.invalid(name, s, "has no host"+want)
	case u.Port() == "":
		l.invalid(name, s, "has no port"+want)
	default:
		if n, err := strconv.ParseUint(u.Port(), 10, 16); err != nil || n == 0 {
			l.invalid(name, s, "has no port between 1 and 65535"+want)
			return ""
		}
		return s
	}
	return ""
}

// s3 checks the endpoint and bucket the s3 blob driver needs.
func (l *loader) s3(endpoint string) {
	if endpoint == "" {
		l.problem(EnvS3Endpoint, "must be set when "+EnvBlobDriver+" is s3")
	} else {
		raw := endpoint
		if !strings.Contains(raw, "://") {
			raw = "https://" + raw
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" ||
			u.Opaque != "" || u.User != nil || (u.Path != "" && u.Path != "/") ||
			u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
			l.invalid(EnvS3Endpoint, endpoint,
				"is not host[:port] or an http(s) URL without credentials (e.g. https://s3.eu-west-1.amazonaws.com or minio:9000)")
		}
	}
	if !l.isSet(EnvS3Bucket) {
		l.problem(EnvS3Bucket, "must be set when "+EnvBlobDriver+" is s3")
	}
}
