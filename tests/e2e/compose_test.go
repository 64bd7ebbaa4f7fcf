package e2e

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// The Docker engine does not run on CI machines: these tests check what can be checked without
// it, that the compose file and the Dockerfile describe the four-validator localnet.

type composeFile struct {
	Services map[string]struct {
		Build *struct {
			Context    string `json:"context"`
			Dockerfile string `json:"dockerfile"`
		} `json:"build"`
		Image    string   `json:"image"`
		Command  []string `json:"command"`
		Ports    []string `json:"ports"`
		Volumes  []string `json:"volumes"`
		Networks []string `json:"networks"`
	} `json:"services"`
	Networks map[string]any `json:"networks"`
}

func TestComposeDescribesFourValidators(t *testing.T) {
	bz, err := os.ReadFile("../../docker-compose.yml")
	require.NoError(t, err)
	var c composeFile
	require.NoError(t, yaml.Unmarshal(bz, &c))
	require.Len(t, c.Services, 4)

	hostPorts := map[string]string{}
	volumes := map[string]string{}
	for _, name := range []string{"node0", "node1", "node2", "node3"} {
		s, ok := c.Services[name]
		require.True(t, ok, "service %s missing", name)
		require.NotNil(t, s.Build, "%s must build the image", name)
		require.Equal(t, "Dockerfile", s.Build.Dockerfile)
		require.Equal(t, ".", s.Build.Context)
		require.Len(t, s.Ports, 4, "%s must publish P2P, RPC, REST and gRPC", name)
		for _, p := range s.Ports {
			host := strings.SplitN(p, ":", 2)[0]
			if len(strings.Split(p, ":")) == 3 {
				host = strings.Split(p, ":")[1]
			}
			other, dup := hostPorts[host]
			require.False(t, dup, "host port %s used by %s and %s", host, other, name)
			hostPorts[host] = name
		}
		require.Len(t, s.Volumes, 1)
		home := strings.SplitN(s.Volumes[0], ":", 2)[0]
		require.NotContains(t, volumes, home, "home volume shared")
		volumes[home] = name
		require.Contains(t, s.Networks, "localnet")
	}
	require.Contains(t, c.Networks, "localnet")
}

func TestDockerfileBuildsWithTheMakefile(t *testing.T) {
	df, err := os.ReadFile("../../Dockerfile")
	require.NoError(t, err)
	mk, err := os.ReadFile("../../Makefile")
	require.NoError(t, err)
	dockerfile := string(df)

	require.Regexp(t, `(?m)^FROM golang:\S+ AS builder$`, dockerfile, "multi-stage build with a Go builder stage")
	require.Equal(t, 2, len(regexp.MustCompile(`(?m)^FROM `).FindAllString(dockerfile, -1)), "a builder and a runtime stage")
	require.Regexp(t, `(?m)^RUN make build$`, dockerfile, "the image is built with the Makefile's build target")
	require.Regexp(t, `(?m)^build:$`, string(mk))
	require.Regexp(t, `(?m)^USER baid$`, dockerfile, "the runtime runs as a non-root user")
	for _, port := range []string{"26656", "26657", "1317", "9090"} {
		require.Regexp(t, `(?m)^EXPOSE .*\b`+port+`\b`, dockerfile)
	}
	require.Contains(t, string(mk), "localnet-start:")
	require.Contains(t, string(mk), "localnet-stop:")
	require.Contains(t, string(mk), "localnet-clean:")
}
