package passwordhash

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

var errMalformed = errors.New("malformed argon2id encoding")

// b64 is the PHC base64 alphabet: standard, without padding.
var b64 = base64.RawStdEncoding.Strict()

// encode formats $argon2id$v=19$m=<m>,t=<t>,p=<p>$<salt>$<key>.
func encode(p Params, salt, key []byte) string {
	var b strings.Builder
	b.WriteString("$argon2id$v=")
	b.WriteString(strconv.Itoa(argon2.Version))
	b.WriteString("$m=")
	b.WriteString(strconv.FormatUint(uint64(p.Memory), 10))
	b.WriteString(",t=")
	b.WriteString(strconv.FormatUint(uint64(p.Time), 10))
	b.WriteString(",p=")
	b.WriteString(strconv.FormatUint(uint64(p.Threads), 10))
	b.WriteByte('$')
	b.WriteString(b64.EncodeToString(salt))
	b.WriteByte('$')
	b.WriteString(b64.EncodeToString(key))
	return b.String()
}

// decode parses an argon2id PHC string; the salt and key lengths of the returned
// Params are those of the encoding. Out-of-limit parameters are errors.
func decode(encoded string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return Params{}, nil, nil, errMalformed
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return Params{}, nil, nil, errMalformed
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return Params{}, nil, nil, errMalformed
	}
	m, err1 := param(kv[0], "m=", 32)
	t, err2 := param(kv[1], "t=", 32)
	th, err3 := param(kv[2], "p=", 8)
	if err := errors.Join(err1, err2, err3); err != nil {
		return Params{}, nil, nil, errMalformed
	}
	salt, err = b64.DecodeString(parts[4])
	if err != nil {
		return Params{}, nil, nil, errMalformed
	}
	key, err = b64.DecodeString(parts[5])
	if err != nil {
		return Params{}, nil, nil, errMalformed
	}
	// The numbers were parsed with their bit sizes and the lengths are bounded by
	// validate below, so these conversions cannot overflow.
	p = Params{
		Memory:     uint32(m),         //nolint:gosec // G115: bounded, see above
		Time:       uint32(t),         //nolint:gosec // G115: bounded, see above
		Threads:    uint8(th),         //nolint:gosec // G115: bounded, see above
		SaltLength: uint32(len(salt)), //nolint:gosec // G115: bounded, see above
		KeyLength:  uint32(len(key)),  //nolint:gosec // G115: bounded, see above
	}
	if err := p.validate(); err != nil {
		return Params{}, nil, nil, errMalformed
	}
	return p, salt, key, nil
}

// param parses "<prefix><decimal>" with only ASCII digits.
func param(s, prefix string, bits int) (uint64, error) {
	v, ok := strings.CutPrefix(s, prefix)
	if !ok || v == "" || len(v) > 10 {
		return 0, errMalformed
	}
	for _, c := range []byte(v) {
		if c < '0' || c > '9' {
			return 0, errMalformed
		}
	}
	return strconv.ParseUint(v, 10, bits)
}
