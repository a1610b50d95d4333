package jwtkeys

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

var _ identityport.TokenIssuer = (*Issuer)(nil)

// DefaultTTL is the access-token lifetime used when IssuerOptions.TTL is zero.
const DefaultTTL = 15 * time.Minute

// maxTokenLength bounds what Verify parses; our tokens are about 400 bytes.
const maxTokenLength = 4096

// IssuerOptions configure an Issuer.
type IssuerOptions struct {
	// Issuer is the iss claim written and required. Required.
	Issuer string
	// Audience is the aud claim written and required. Required.
	Audience string
	// TTL is the access-token lifetime; 0 means DefaultTTL.
	TTL time.Duration
	// Leeway is the clock skew tolerated when checking exp, nbf and iat
	// (default 0).
	Leeway time.Duration
}

// Issuer signs access tokens with the active key of a KeySet (EdDSA, kid in the
// header) and verifies them with any key of the set. It implements
// identityport.TokenIssuer and is safe for concurrent use.
type Issuer struct {
	keys *KeySet
	opts IssuerOptions
}

// NewIssuer returns an Issuer; it fails when keys is nil or opts are incomplete.
func NewIssuer(keys *KeySet, opts IssuerOptions) (*Issuer, error) {
	switch {
	case keys == nil:
		return nil, errors.New("jwtkeys: nil key set")
	case opts.Issuer == "":
		return nil, errors.New("jwtkeys: issuer is required")
	case opts.Audience == "":
		return nil, errors.New("jwtkeys: audience is required")
	case opts.TTL < 0:
		return nil, fmt.Errorf("jwtkeys: negative TTL %s", opts.TTL)
	case opts.Leeway < 0:
		return nil, fmt.Errorf("jwtkeys: negative leeway %s", opts.Leeway)
	}
	if opts.TTL == 0 {
		opts.TTL = DefaultTTL
	}
	return &Issuer{keys: keys, opts: opts}, nil
}

// claims are the claims of an access token.
type claims struct {
	jwt.RegisteredClaims
	SessionID string `json:"sid,omitempty"`
}

// Issue signs an access token for userID in sessionID, valid from now for the
// TTL (times have one-second precision), with a random 128-bit jti.
func (i *Issuer) Issue(userID, sessionID string, now time.Time) (token string, expiresIn time.Duration, err error) {
	if userID == "" || sessionID == "" {
		return "", 0, errors.New("jwtkeys: user and session ids are required")
	}
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", 0, fmt.Errorf("jwtkeys: jti: %w", err)
	}
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    i.opts.Issuer,
			Audience:  jwt.ClaimStrings{i.opts.Audience},
			Subject:   userID,
			ExpiresAt: jwt.NewNumericDate(now.Add(i.opts.TTL)),
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ID:        hex.EncodeToString(jti),
		},
		SessionID: sessionID,
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
	t.Header["kid"] = i.keys.activeKID
	token, err = t.SignedString(i.keys.signer)
	if err != nil {
		return "", 0, fmt.Errorf("jwtkeys: sign: %w", err)
	}
	return token, i.opts.TTL, nil
}

// Verify checks token's algorithm (EdDSA only), key id (a key of the set),
// signature, issuer, audience, exp (required), nbf and iat against now, and that
// sub, sid, jti and iat are present. Any failure is identity.ErrInvalidToken
// wrapping the cause.
func (i *Issuer) Verify(token string, now time.Time) (identityport.AccessClaims, error) {
	if len(token) > maxTokenLength {
		return identityport.AccessClaims{}, invalid(fmt.Errorf("token longer than %d bytes", maxTokenLength))
	}
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuer(i.opts.Issuer),
		jwt.WithAudience(i.opts.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(i.opts.Leeway),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	var c claims
	t, err := p.ParseWithClaims(token, &c, i.key)
	if err != nil {
		return identityport.AccessClaims{}, invalid(err)
	}
	if !t.Valid {
		return identityport.AccessClaims{}, invalid(errors.New("token not valid"))
	}
	switch {
	case c.Subject == "":
		err = errors.New("missing sub")
	case c.SessionID == "":
		err = errors.New("missing sid")
	case c.ID == "":
		err = errors.New("missing jti")
	case c.IssuedAt == nil:
		err = errors.New("missing iat")
	}
	if err != nil {
		return identityport.AccessClaims{}, invalid(err)
	}
	return identityport.AccessClaims{
		UserID:    c.Subject,
		SessionID: c.SessionID,
		TokenID:   c.ID,
		IssuedAt:  c.IssuedAt.Time,
		ExpiresAt: c.ExpiresAt.Time,
	}, nil
}

// key finds the public key named by the token's kid header.
func (i *Issuer) key(t *jwt.Token) (any, error) {
	if t.Method != jwt.SigningMethodEdDSA { // WithValidMethods checked it already
		return nil, fmt.Errorf("unexpected signing method %v", t.Header["alg"])
	}
	kid, ok := t.Header["kid"].(string)
	if !ok || kid == "" {
		return nil, errors.New("missing kid header")
	}
	pub, ok := i.keys.public[kid]
	if !ok {
		return nil, fmt.Errorf("unknown kid %q", kid)
	}
	return pub, nil
}

func invalid(cause error) error { return kernel.Wrap(identity.ErrInvalidToken, cause) }
