package install

import "nidan.dev/nidan/manifests"

// linuxBrowsers: user-level folders from each browser's documentation; the
// machine-wide ones only where the browser documents one. A profile folder
// marks a browser by a file the browser writes ("Local State", profiles.ini),
// never by the folder itself, which install may have created.
var linuxBrowsers = []Browser{
	{
		Name: "chrome", Title: "Google Chrome", Family: manifests.Chromium,
		UserDirs:   []string{"~/.config/google-chrome/NativeMessagingHosts"},
		SystemDirs: []string{"/etc/opt/chrome/native-messaging-hosts"},
		Marks:      []string{"~/.config/google-chrome/Local State", "/opt/google/chrome", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"},
		Flatpak:    "com.google.Chrome",
	},
	{
		Name: "chromium", Title: "Chromium", Family: manifests.Chromium,
		UserDirs:   []string{"~/.config/chromium/NativeMessagingHosts"},
		SystemDirs: []string{"/etc/chromium/native-messaging-hosts"},
		Marks:      []string{"~/.config/chromium/Local State", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium"},
		Flatpak:    "org.chromium.Chromium",
		Snap:       "chromium",
	},
	{
		Name: "edge", Title: "Microsoft Edge", Family: manifests.Chromium,
		UserDirs:   []string{"~/.config/microsoft-edge/NativeMessagingHosts"},
		SystemDirs: []string{"/etc/opt/edge/native-messaging-hosts"},
		Marks:      []string{"~/.config/microsoft-edge/Local State", "/opt/microsoft/msedge", "/usr/bin/microsoft-edge", "/usr/bin/microsoft-edge-stable"},
		Flatpak:    "com.microsoft.Edge",
	},
	{
		Name: "brave", Title: "Brave", Family: manifests.Chromium,
		UserDirs: []string{"~/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts"},
		Marks:    []string{"~/.config/BraveSoftware/Brave-Browser/Local State", "/opt/brave.com/brave", "/usr/bin/brave-browser"},
		Flatpak:  "com.brave.Browser",
		Snap:     "brave",
	},
	{
		Name: "vivaldi", Title: "Vivaldi", Family: manifests.Chromium,
		UserDirs: []string{"~/.config/vivaldi/NativeMessagingHosts"},
		Marks:    []string{"~/.config/vivaldi/Local State", "/opt/vivaldi", "/usr/bin/vivaldi", "/usr/bin/vivaldi-stable"},
		Flatpak:  "com.vivaldi.Vivaldi",
	},
	{
		Name: "firefox", Title: "Firefox", Family: manifests.Firefox,
		UserDirs:   []string{"~/.mozilla/native-messaging-hosts"},
		SystemDirs: []string{"/usr/lib/mozilla/native-messaging-hosts"},
		Marks:      []string{"~/.mozilla/firefox", "/usr/bin/firefox", "/usr/bin/firefox-esr", "/usr/lib/firefox", "/usr/lib/firefox-esr"},
		Flatpak:    "org.mozilla.firefox",
		Snap:       "firefox",
	},
	{
		Name: "librewolf", Title: "LibreWolf", Family: manifests.Firefox,
		UserDirs: []string{"~/.librewolf/native-messaging-hosts"},
		Marks:    []string{"~/.librewolf/profiles.ini", "/usr/bin/librewolf", "/usr/share/librewolf"},
		Flatpak:  "io.gitlab.librewolf-community",
	},
}
