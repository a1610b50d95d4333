//go:build !linux

package main

import (
	"errors"
	"net"
)

// spliceStore needs splice(2): Linux only.
func spliceStore(net.Conn, string) (string, error) {
	return "", errors.New("the splicing floor runs on Linux only")
}
