package install

import "nidan.dev/nidan/manifests"

// darwinBrowsers: Brave is known to read Chrome's folder as well as its own,
// so nidan writes both. Profile folders mark a browser by a file it writes,
// as on Linux.
var darwinBrowsers = []Browser{
	{
		Name: "chrome", Title: "Google Chrome", Family: manifests.Chromium,
		UserDirs:   []string{"~/Library/Application Support/Google/Chrome/NativeMessagingHosts"},
		SystemDirs: []string{"/Library/Google/Chrome/NativeMessagingHosts"},
		Marks:      []string{"~/Library/Application Support/Google/Chrome/Local State", "/Applications/Google Chrome.app", "~/Applications/Google Chrome.app"},
	},
	{
		Name: "chromium", Title: "Chromium", Family: manifests.Chromium,
		UserDirs:   []string{"~/Library/Application Support/Chromium/NativeMessagingHosts"},
		SystemDirs: []string{"/Library/Application Support/Chromium/NativeMessagingHosts"},
		Marks:      []string{"~/Library/Application Support/Chromium/Local State", "/Applications/Chromium.app", "~/Applications/Chromium.app"},
	},
	{
		Name: "edge", Title: "Microsoft Edge", Family: manifests.Chromium,
		UserDirs:   []string{"~/Library/Application Support/Microsoft Edge/NativeMessagingHosts"},
		SystemDirs: []string{"/Library/Microsoft/Edge/NativeMessagingHosts"},
		Marks:      []string{"~/Library/Application Support/Microsoft Edge/Local State", "/Applications/Microsoft Edge.app", "~/Applications/Microsoft Edge.app"},
	},
	{
		Name: "brave", Title: "Brave", Family: manifests.Chromium,
		UserDirs: []string{
			"~/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts",
			"~/Library/Application Support/Google/Chrome/NativeMessagingHosts",
		},
		SystemDirs: []string{"/Library/Google/Chrome/NativeMessagingHosts"},
		Marks:      []string{"~/Library/Application Support/BraveSoftware/Brave-Browser/Local State", "/Applications/Brave Browser.app", "~/Applications/Brave Browser.app"},
	},
	{
		Name: "vivaldi", Title: "Vivaldi", Family: manifests.Chromium,
		UserDirs: []string{"~/Library/Application Support/Vivaldi/NativeMessagingHosts"},
		Marks:    []string{"~/Library/Application Support/Vivaldi/Local State", "/Applications/Vivaldi.app", "~/Applications/Vivaldi.app"},
	},
	{
		Name: "firefox", Title: "Firefox", Family: manifests.Firefox,
		UserDirs:   []string{"~/Library/Application Support/Mozilla/NativeMessagingHosts"},
		SystemDirs: []string{"/Library/Application Support/Mozilla/NativeMessagingHosts"},
		Marks:      []string{"~/Library/Application Support/Firefox", "/Applications/Firefox.app", "~/Applications/Firefox.app"},
	},
	{
		Name: "librewolf", Title: "LibreWolf", Family: manifests.Firefox,
		UserDirs: []string{"~/Library/Application Support/LibreWolf/NativeMessagingHosts"},
		Marks:    []string{"~/Library/Application Support/librewolf/profiles.ini", "/Applications/LibreWolf.app", "~/Applications/LibreWolf.app"},
	},
}
