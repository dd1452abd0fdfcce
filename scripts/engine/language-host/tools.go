//go:build tools

// Keeps the language host's main package among this module's requirements.
package tools

import _ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
