// The linkage engine lives here.
