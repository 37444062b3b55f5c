package private

import (
	"slices"
	"testing"
)

const user = "S-1-5-21-1111111111-2222222222-3333333333-1001"

func TestHomeSDDL(t *testing.T) {
	want := "D:P(A;OICI;FA;;;" + user + ")(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"
	if got := homeSDDL(user); got != want {
		t.Errorf("homeSDDL = %s, want %s", got, want)
	}
}

func TestOtherReaders(t *testing.T) {
	const (
		users         = "S-1-5-32-545"
		authenticated = "S-1-5-11"
		fullControl   = 0x1F01FF
		readExecute   = 0x1200A9
		writeOnly     = 0x2
	)
	// What a file in the user's profile inherits: private.
	profile := []ace{
		{allow: true, sid: sidSystem, mask: fullControl},
		{allow: true, sid: sidAdministrators, mask: fullControl},
		{allow: true, sid: user, mask: fullControl},
	}
	tests := []struct {
		name    string
		dacl    []ace
		present bool
		want    []string
	}{
		{"the home's own DACL", profile, true, nil},
		{"no DACL at all: everyone", nil, false, []string{sidEveryone}},
		{"an empty DACL: nobody", nil, true, nil},
		{"C:\\nidan-shared: Users and Authenticated Users read", append(slices.Clone(profile),
			ace{allow: true, sid: users, mask: readExecute},
			ace{allow: true, sid: authenticated, mask: 0x1301BF},
			ace{allow: true, sid: users, mask: readExecute}), true, []string{users, authenticated}},
		{"Everyone with generic read", append(slices.Clone(profile), ace{allow: true, sid: sidEveryone, mask: genericRead}), true, []string{sidEveryone}},
		{"another user may change the ACL", append(slices.Clone(profile), ace{allow: true, sid: "S-1-5-21-9-9-9-1002", mask: writeDAC}), true, []string{"S-1-5-21-9-9-9-1002"}},
		{"a denial grants nothing", append(slices.Clone(profile), ace{sid: sidEveryone, mask: fullControl}), true, nil},
		{"inherit-only applies to children", append(slices.Clone(profile), ace{allow: true, inheritOnly: true, sid: users, mask: readExecute}), true, nil},
		{"write without read", append(slices.Clone(profile), ace{allow: true, sid: users, mask: writeOnly}), true, nil},
		{"owner rights", append(slices.Clone(profile), ace{allow: true, sid: sidOwnerRights, mask: fullControl}), true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := otherReaders(tt.dacl, tt.present, user); !slices.Equal(got, tt.want) {
				t.Errorf("otherReaders = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestIcaclsFix(t *testing.T) {
	got := icaclsFix(`C:\nidan-shared\vault.age`, user, []string{"S-1-5-32-545", "S-1-5-11"})
	want := `icacls "C:\nidan-shared\vault.age" /inheritance:r /grant:r *` + user + `:F *S-1-5-18:F *S-1-5-32-544:F /remove:g *S-1-5-32-545 *S-1-5-11`
	if got != want {
		t.Errorf("icaclsFix =\n%s\nwant\n%s", got, want)
	}
}
