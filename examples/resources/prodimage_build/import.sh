# Adopt the image a tag points at. The next plan rebuilds only if the
# configuration's inputs differ from the ones the image was built from.
terraform import prodimage_build.api registry.example.com/team/api:1.4.2
