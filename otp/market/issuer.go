package market

import "strings"

// AmazonIssuer reports whether an otpauth issuer names Amazon: "Amazon" as
// Amazon's own QR codes write it, or one of the table's sign-in hosts with
// or without "www." ("amazon.co.jp", "sellercentral.amazon.de"), any case.
//
// The rule is deliberately narrow. An account whose issuer fails it (GitHub,
// Google, "Amazon Web Services", an empty issuer) is kept as a backup but
// bound to no Amazon host until the user binds it by hand: filling another
// service's code into an Amazon page would hand that code to Amazon's page
// and to any script running there.
func AmazonIssuer(issuer string) bool {
	issuer = strings.ToLower(strings.TrimSpace(issuer))
	if issuer == "amazon" {
		return true
	}
	for _, m := range marketplaces {
		for _, h := range m.Hosts {
			if issuer == h || issuer == strings.TrimPrefix(h, "www.") {
				return true
			}
		}
	}
	return false
}
