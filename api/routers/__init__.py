"""One thin router per resource: validate, call a service, translate the answer."""
