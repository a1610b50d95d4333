package jwtkeys

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
)

// jwk is an RFC 8037 OKP public key.
type jwk struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
}

type jwkSet struct {
	Keys []jwk `json:"keys"`
}

func marshalJWKS(ks *KeySet) ([]byte, error) {
	set := jwkSet{Keys: make([]jwk, 0, len(ks.kids))}
	for _, kid := range ks.kids {
		set.Keys = append(set.Keys, jwk{
			Kty: "OKP",
			Crv: "Ed25519",
			X:   base64.RawURLEncoding.EncodeToString(ks.public[kid]),
			Kid: kid,
			Alg: "EdDSA",
			Use: "sig",
		})
	}
	b, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("jwtkeys: jwks: %w", err)
	}
	return b, nil
}

// JWKS returns the public keys as a JSON Web Key Set (RFC 7517, with RFC 8037
// OKP keys), ready to serve at /.well-known/jwks.json:
// {"keys":[{"kty":"OKP","crv":"Ed25519","x":"…","kid":"…","alg":"EdDSA","use":"sig"}]}.
// Keys are in ascending kid order. The caller owns the returned slice.
func (ks *KeySet) JWKS() []byte { return slices.Clone(ks.jwks) }
