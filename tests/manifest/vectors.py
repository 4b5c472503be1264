"""Test vectors of the manifest format reference (section 8), byte for byte.

Each value is the exact document (no trailing newline). Digests and sizes were
computed by the reference authors with Go, skopeo and sha256sum.
"""

# ruff: noqa: E501

#: Docker schema2, distribution FromStruct (3-space)
TV1 = (
    b'{\n'
    b'   "schemaVersion": 2,\n'
    b'   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",\n'
    b'   "config": {\n'
    b'      "mediaType": "application/vnd.docker.container.image.v1+json",\n'
    b'      "size": 229,\n'
    b'      "digest": "sha256:577afe96e9686c7a034e4b5c46d4421bb5918ac2ca14972f9acc20047b95ed10"\n'
    b'   },\n'
    b'   "layers": [\n'
    b'      {\n'
    b'         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",\n'
    b'         "size": 107,\n'
    b'         "digest": "sha256:1e93cf090ac787e2248b4e962d9496cd6ac868a58825a9ee0e318221969db529"\n'
    b'      }\n'
    b'   ]\n'
    b'}'
)

#: the same manifest as containers/image writes it (compact)
TV2 = b'{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":229,"digest":"sha256:577afe96e9686c7a034e4b5c46d4421bb5918ac2ca14972f9acc20047b95ed10"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":107,"digest":"sha256:1e93cf090ac787e2248b4e962d9496cd6ac868a58825a9ee0e318221969db529"}]}'

#: the OCI source manifest (image-spec key order, compact)
TV3 = b'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:577afe96e9686c7a034e4b5c46d4421bb5918ac2ca14972f9acc20047b95ed10","size":229},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:1e93cf090ac787e2248b4e962d9496cd6ac868a58825a9ee0e318221969db529","size":107}]}'

#: the config blob referenced by TV1-TV6
TV3_CONFIG = b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:a32826ad161414ebdd8b3ab0c346437284f32d8a9cd48dee9d718213c6ece577"]},"history":[{"created":"2020-01-01T00:00:00Z","created_by":"ADD hello.txt /"}]}'

#: Docker manifest list, distribution FromDescriptors (3-space)
TV4 = (
    b'{\n'
    b'   "schemaVersion": 2,\n'
    b'   "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",\n'
    b'   "manifests": [\n'
    b'      {\n'
    b'         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",\n'
    b'         "size": 523,\n'
    b'         "digest": "sha256:ee7242460c7c594135eb0e160a640a74ee5a4e16757750a67b9d3c51f3c50f29",\n'
    b'         "platform": {\n'
    b'            "architecture": "amd64",\n'
    b'            "os": "linux"\n'
    b'         }\n'
    b'      },\n'
    b'      {\n'
    b'         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",\n'
    b'         "size": 423,\n'
    b'         "digest": "sha256:a4f94bcde7e66802c02d3a97e7dc78faa5e17819d4ee5834e66a87cdbd55b962",\n'
    b'         "platform": {\n'
    b'            "architecture": "arm64",\n'
    b'            "os": "linux",\n'
    b'            "variant": "v8"\n'
    b'         }\n'
    b'      }\n'
    b'   ]\n'
    b'}'
)

#: OCI 1.1 artifact manifest (Go MarshalIndent, 2 spaces)
TV5 = (
    b'{\n'
    b'  "schemaVersion": 2,\n'
    b'  "mediaType": "application/vnd.oci.image.manifest.v1+json",\n'
    b'  "artifactType": "application/vnd.example+type",\n'
    b'  "config": {\n'
    b'    "mediaType": "application/vnd.oci.empty.v1+json",\n'
    b'    "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",\n'
    b'    "size": 2,\n'
    b'    "data": "e30="\n'
    b'  },\n'
    b'  "layers": [\n'
    b'    {\n'
    b'      "mediaType": "application/vnd.oci.empty.v1+json",\n'
    b'      "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",\n'
    b'      "size": 2\n'
    b'    }\n'
    b'  ],\n'
    b'  "subject": {\n'
    b'    "mediaType": "application/vnd.oci.image.manifest.v1+json",\n'
    b'    "digest": "sha256:0dcd6c0a3e590111b22f6939e90adfbd0957fb4d2a8950c473868d4964ae13fc",\n'
    b'    "size": 401\n'
    b'  },\n'
    b'  "annotations": {\n'
    b'    "org.opencontainers.image.created": "2020-01-01T00:00:00Z"\n'
    b'  }\n'
    b'}'
)

#: schema1 conversion of TV3's image, distribution payload for example/tiny:v1
TV6_PAYLOAD = (
    b'{\n'
    b'   "schemaVersion": 1,\n'
    b'   "name": "example/tiny",\n'
    b'   "tag": "v1",\n'
    b'   "architecture": "amd64",\n'
    b'   "fsLayers": [\n'
    b'      {\n'
    b'         "blobSum": "sha256:1e93cf090ac787e2248b4e962d9496cd6ac868a58825a9ee0e318221969db529"\n'
    b'      }\n'
    b'   ],\n'
    b'   "history": [\n'
    b'      {\n'
    b'         "v1Compatibility": "{\\"architecture\\":\\"amd64\\",\\"id\\":\\"257ab14d1e76e9551f8a4b0585ac2ad8776d818ff27dfc765725be01000e3426\\",\\"os\\":\\"linux\\"}"\n'
    b'      }\n'
    b'   ]\n'
    b'}'
)

#: signed schema1 document written by skopeo copy --format v2s1
TV6_SIGNED = b'{"name":"","tag":"","architecture":"amd64","fsLayers":[{"blobSum":"sha256:1e93cf090ac787e2248b4e962d9496cd6ac868a58825a9ee0e318221969db529"}],"history":[{"v1Compatibility":"{\\"architecture\\":\\"amd64\\",\\"id\\":\\"257ab14d1e76e9551f8a4b0585ac2ad8776d818ff27dfc765725be01000e3426\\",\\"os\\":\\"linux\\"}"}],"schemaVersion":1,"signatures":[{"header":{"jwk":{"crv":"P-256","kid":"K7LU:FRLJ:BN3J:PEXG:DIZI:OAI4:VT2V:WJIW:3MNJ:46EZ:ESAI:WBJO","kty":"EC","x":"cle6zDHbJN2VpuZMa0-5J0GVtryVBK0VCC5X_nUfQr4","y":"YTBlvDF7y5068KpcXmbTb0c7pRJ4B2VERRtrqKMMLtU"},"alg":"ES256"},"signature":"TOlIaJQF_Arv4hX6JaAfXwKSx0-fv5y7fyaiRPNwT2c6cwuGTv-F2EEku5F9MFex1tgOO3ehHHHWASYvj9hH5A","protected":"eyJmb3JtYXRMZW5ndGgiOjMxNSwiZm9ybWF0VGFpbCI6ImZRIiwidGltZSI6IjIwMjYtMTEtMjlUMDU6NTI6MDVaIn0"}]}'

#: config with an empty_layer CMD entry
TV8_CONFIG = b'{"created":"2020-01-01T00:00:00Z","architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/bin:/bin"],"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:a32826ad161414ebdd8b3ab0c346437284f32d8a9cd48dee9d718213c6ece577"]},"history":[{"created":"2020-01-01T00:00:00Z","created_by":"/bin/sh -c #(nop) ADD file:hello.txt in / "},{"created":"2020-01-01T00:00:01Z","created_by":"/bin/sh -c #(nop)  CMD [\\"/bin/sh\\"]","empty_layer":true}]}'

#: decoded v1Compatibility of TV8's top entry
TV8_V1_TOP = b'{"architecture":"amd64","config":{"Env":["PATH=/usr/bin:/bin"],"Cmd":["/bin/sh"]},"created":"2020-01-01T00:00:00Z","id":"a4450d710c7023023097eba3a5825412f5fc8be36e705a391685df9d53683347","os":"linux","parent":"9692bfb892901333c57badfbb405094ee059f2ae9840ab6ec2aa3ae25e86b289","throwaway":true}'

#: decoded v1Compatibility of TV8's base entry
TV8_V1_BASE = b'{"id":"9692bfb892901333c57badfbb405094ee059f2ae9840ab6ec2aa3ae25e86b289","created":"2020-01-01T00:00:00Z","container_config":{"Cmd":["/bin/sh -c #(nop) ADD file:hello.txt in / "]}}'
