/**
 * Generated from packages/api-spec (openapi.yaml and domains/) by `pnpm --filter @overcast/sdk generate`. Do not edit:
 * change the spec and regenerate.
 */

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness probe
         * @description Answers 200 while the process is serving. Never checks dependencies.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness probe
         * @description 200 when every dependency check passes (database, broker), else 503 with the same body.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document as JSON */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Human-readable API reference
         * @description This document in Scalar's API reference: search, try-it with a token field, and request samples in curl, the TypeScript SDK and the `overcast` CLI for every operation. Everything it loads is served by the gateway itself (no CDN), and its server is the URL the page was served from.
         */
        get: operations["getDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs/api-reference.js": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The reference page's script
         * @description Scalar's standalone bundle, from the gateway's own dependencies.
         */
        get: operations["getDocsScript"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange a GitHub token for an Overcast token
         * @description The gateway asks GitHub for the user and its teams and maps organisation/team to a role (`admin`
         *     or `developer`). Every login creates a new Overcast token, shown once. Users in no allowed team
         *     answer 401. No Overcast credential is needed.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API tokens
         * @description Admins see every token of their tenant; developers see only the token they call with. Never returns secrets.
         */
        get: operations["listTokens"];
        put?: never;
        /**
         * Create an API token (admin)
         * @description The secret is returned once, in `token`; only a salted scrypt hash is stored.
         */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API token
         * @description Allowed to admins, and to a token revoking itself. Takes effect at once (verification caches drop it).
         */
        delete: operations["revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Platform status
         * @description Asks every service for its status (`<service>.status` RPC). `degraded` when any service is down.
         */
        get: operations["getStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Friendly greeting */
        get: operations["getGreeting"];
        put?: never;
        post?: never;
        /**
         * Gracefully shut down the gateway (admin)
         * @description Answers 204, then stops accepting connections and drains in-flight requests before exiting.
         */
        delete: operations["shutdownServer"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/debug/vars": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The gateway process's own figures (admin)
         * @description Pudding's expvar page, kept for its operators: the process's memory (`memstats`, Node's
         *     `process.memoryUsage()` in bytes), its uptime and its runtime version. Unlike pudding's, it carries no
         *     environment variables and no command line, which hold secrets.
         */
        get: operations["getDebugVars"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/kaboom": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Simulate a handler crash (admin)
         * @description The handler throws; the error middleware answers 500 `internal` and the process keeps serving.
         */
        post: operations["triggerKaboom"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/instances": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List instances
         * @description Newest first. Every filter is an exact match; filters combine with AND. Terminated instances are listed only when `state=terminated` is asked: without a `state`, the list holds the instances that exist (as pudding's did, whose clients count and print every item).
         */
        get: operations["listInstances"];
        put?: never;
        /**
         * Create an instance
         * @description Records the instance in state `creating` and queues its creation at the provider. Retrying with the
         *     same `Idempotency-Key` (kept 24 hours) answers the instance created the first time; the same key
         *     with a different body answers 409. An unknown provider, or an image that is not in that provider's
         *     catalog (`GET /images`: the images it offers by itself and those the tenant registered for it), answers 422
         *     naming the field.
         */
        post: operations["createInstance"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/instances/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The instance's uuid. Pudding's callers name instances by EC2 id, and hubot-pudding keeps 8 characters after
                 *     the `i-` it adds, so `i-<uuid>`, `i-<first 8 hex digits of the uuid>` (the end of its pudding `name`) and the
                 *     provider's own id (`upstream_id`, e.g. EC2's `i-0abc…`) name it too.
                 * @example 0d654ef4-75b9-49a6-9f90-f9b1ae3501fc
                 */
                id: components["parameters"]["InstanceId"];
            };
            cookie?: never;
        };
        /**
         * Get an instance
         * @description 410 Gone, with the instance as body, once it is terminated. A malformed id answers 404.
         *
         *     **Pudding's form.** An id starting with `i-` is pudding's EC2-style id (see the `id` parameter) and answers
         *     as pudding did: 200 with `{"instances": [...]}`, the instances it names (an empty list when none, never 404).
         */
        get: operations["getInstance"];
        put?: never;
        post?: never;
        /**
         * Terminate an instance
         * @description Queues termination and answers 200 with the instance in state `terminating`: cloud-brain's real client
         *     (travis-ci/worker) accepts only 200 with the instance as body. Idempotent: an instance that is already
         *     terminating or terminated answers 200 with its current state and queues nothing new.
         *
         *     **Pudding's form.** An id starting with `i-` answers as pudding did: 202 `{"ok": "working on that"}`, also
         *     when it names no instance (pudding queued the termination regardless). One that names several instances
         *     (a short id shared by chance) answers 409 listing them. `slack-channel` says where the notice goes.
         */
        delete: operations["deleteInstance"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/instances/{id}/console": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The instance's uuid. Pudding's callers name instances by EC2 id, and hubot-pudding keeps 8 characters after
                 *     the `i-` it adds, so `i-<uuid>`, `i-<first 8 hex digits of the uuid>` (the end of its pudding `name`) and the
                 *     provider's own id (`upstream_id`, e.g. EC2's `i-0abc…`) name it too.
                 * @example 0d654ef4-75b9-49a6-9f90-f9b1ae3501fc
                 */
                id: components["parameters"]["InstanceId"];
            };
            cookie?: never;
        };
        /**
         * Read an instance's console output
         * @description The instance's console, like EC2's GetConsoleOutput: the boot agent's lines and the init script's
         *     stdout and stderr, as plain UTF-8 text (the last 1 MiB). Empty before the instance printed anything.
         *     Read live from the provider, so only providers that keep a console answer (today `local`); on any
         *     other provider (`aws`, `gce`, `fake`) the answer is 422.
         */
        get: operations["getInstanceConsole"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/instance-builds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start an instance build
         * @description Boots one instance with the build's init script, as pudding's worker did (`RunInstances` of 1): `count` is
         *     the VM concurrency that init script is given (its template's `Count`), not a number of instances. With
         *     `boot_instance: false` the script is only rendered and stored. Without `image` (or its alias `ami`)
         *     the newest active image for the build's provider and role is used; an `image` that is not in the provider's
         *     catalog (`GET /images`) answers 422 naming it. Every validation error is listed at once in `error.details`
         *     (with its path) and in `errors`.
         */
        post: operations["createInstanceBuild"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/instance-builds/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The instance build's uuid.
                 * @example 5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01
                 */
                id: components["parameters"]["BuildId"];
            };
            cookie?: never;
        };
        /** Get an instance build */
        get: operations["getInstanceBuild"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Report progress of an instance build
         * @description Form-encoded (the same fields are also read from the query string; the body wins). `state=finished`
         *     records `instance-id` as started and sends a notification to `slack-channel` (else the build's
         *     channel), answering `{"sure":"why not"}`. Any other state changes nothing and answers `{"no":"op"}`.
         */
        patch: operations["updateInstanceBuild"];
        trace?: never;
    };
    "/init-scripts/{build_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Fetch the init script of an instance build
         * @description Fetched by cloud-init (`#include <url>` in the user data). Accepts any API token, or the build's own
         *     Basic credentials `x:<secret>`; another build's credentials answer 404. A build's credentials expire after
         *     the broker's `INIT_SCRIPT_TTL_SECONDS` (a day), except once an autoscaling group is made from one of its
         *     instances: the group boots copies of that instance at any time, and they keep fetching their script.
         */
        get: operations["getInitScript"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/instance-launches/{build_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report an instance in service (pudding)
         * @description Pudding's lifecycle callback: an instance of the build reports that it is in service, from the hook its init
         *     script wrote (`{{ .InstanceLaunchURL }}` in pudding's template language). Records the
         *     `launching` transition (event `instance.lifecycle_reported`) and notifies `slack-channel`, else the build's
         *     channel. Accepts any API token of the build's tenant, or the build's own Basic credentials `x:<secret>`.
         */
        post: operations["notifyInstanceLaunch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/instance-terminations/{build_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report an instance out of service (pudding)
         * @description Pudding's lifecycle callback: an instance of the build reports that it is out of service, from the hook its init
         *     script wrote (`{{ .InstanceTerminateURL }}` in pudding's template language). Records the
         *     `terminating` transition (event `instance.lifecycle_reported`) and notifies `slack-channel`, else the build's
         *     channel. Accepts any API token of the build's tenant, or the build's own Basic credentials `x:<secret>`.
         */
        post: operations["notifyInstanceTermination"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/instance-heartbeats/{build_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask whether an instance should stay up (pudding)
         * @description Pudding's heartbeat (`{{ .InstanceHeartbeatURL }}` in its template language): an instance of the build names
         *     itself with `instance-id` (form or query; the form wins) by its id, `i-<id>`, `i-<first 8 hex digits>` or its
         *     provider's id, and gets itself back, bare, with `expected_state`: `up`, or `down` once it is being
         *     terminated. A missing `instance-id` answers 400, an instance that is not the build's 404 `unknown instance`.
         *     Accepts any API token of the build's tenant, or the build's own Basic credentials `x:<secret>`.
         */
        post: operations["notifyInstanceHeartbeat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List boot images
         * @description One catalog of every image builds and creates can use: the images registered here (newest first), then
         *     the images an enabled provider offers by itself (the operator's local catalog, `debian-local` on
         *     `pnpm start`), one entry per role, `active` where a build of that provider and role boots it (a registered
         *     active image wins). `active` compares with the literal strings `true`/`false`.
         */
        get: operations["listImages"];
        put?: never;
        /**
         * Register a boot image (admin)
         * @description Adds an image to the catalog. With `active: true` it becomes the active image of its provider and
         *     role, exactly as `POST /images/{id}/activate` would. The same `provider` + `image_id` twice answers 409.
         */
        post: operations["registerImage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/images/{id}/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make an image the active one for its provider and role (admin)
         * @description At most one image is active per provider + role: activating one deactivates the others of the same
         *     provider and role, in one transaction. Activating the active image changes nothing.
         */
        post: operations["activateImage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/quotas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's quotas and what is in use
         * @description One entry per quota of the caller's tenant, from every service that owns limited resources, in this
         *     order: `instances` (instance broker), `districts` and `apps` (app manager). `used` counts the same way a
         *     create is checked against `limit`; a create asking for more than `limit - used` is refused with 403
         *     `quota_exceeded`. When one of those services does not answer, the whole request fails (503) rather than
         *     leave a quota out.
         */
        get: operations["listQuotas"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/districts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List districts */
        get: operations["listDistricts"];
        put?: never;
        /**
         * Create a district (admin)
         * @description Barcelona's `POST /districts`, answered 200 with `{"district":…}`. `provider` is `local` by default; an
         *     `aws` district needs `vpc_id`, `private_hosted_zone_id` and the write-only `aws_access_key_id` and
         *     `aws_secret_access_key` (sealed at rest, never shown). The cluster is created at once. A tenant holding
         *     `DISTRICT_QUOTA_PER_TENANT` districts is refused with 403 `quota_exceeded` naming `quota.districts`.
         */
        post: operations["createDistrict"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/districts/{district}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The district's name.
                 * @example default
                 */
                district: components["parameters"]["DistrictName"];
            };
            cookie?: never;
        };
        /** Get a district */
        get: operations["getDistrict"];
        put?: never;
        post?: never;
        /**
         * Delete a district (admin)
         * @description Deletes its apps too; their services, load balancers and DNS records are removed after the answer.
         */
        delete: operations["deleteDistrict"];
        options?: never;
        head?: never;
        /**
         * Update a district (admin)
         * @description The fields given change; the others are kept.
         */
        patch: operations["updateDistrict"];
        trace?: never;
    };
    "/districts/{district}/launch_instances": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The district's name.
                 * @example default
                 */
                district: components["parameters"]["DistrictName"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Launch container instances
         * @description Asks the instance broker (over the bus) for `count` container instances of `instance_type` (`t2.micro` by
         *     default) for the district; they show in its `container_instances`.
         */
        post: operations["createDistrictInstances"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/districts/{district}/apps": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The district's name.
                 * @example default
                 */
                district: components["parameters"]["DistrictName"];
            };
            cookie?: never;
        };
        /** List a district's apps */
        get: operations["listDistrictApps"];
        put?: never;
        /**
         * Create an app
         * @description Barcelona's body (name, image_name, image_tag, before_deploy, slack_url, env_vars, services) plus each
         *     service's `scale` (1) and `schedule` (see `ServiceInput.schedule`) for a cron service. Release 1 is made and
         *     deployed; follow it with `GET /apps/{app}/events`. A tenant holding `APP_QUOTA_PER_TENANT` apps (in all
         *     its districts) is refused with 403 `quota_exceeded` naming `quota.apps`. On a `local` district the
         *     `image_name` must be one of the operator's catalog images that can run tasks (`hello-web` and the
         *     LOCAL_IMAGES_FILE images with an entrypoint), else 422 naming `body.image_name`; `aws` and `fake` take any.
         */
        post: operations["createApp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List apps */
        get: operations["listApps"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{app}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
            };
            cookie?: never;
        };
        /**
         * Get an app
         * @description Each service with its live `status` and its `endpoint` once it has a load balancer. Unknown → 404.
         */
        get: operations["getApp"];
        put?: never;
        post?: never;
        /**
         * Delete an app
         * @description Each service is scaled to 0 and deleted with its load balancer and DNS record, after the answer.
         */
        delete: operations["deleteApp"];
        options?: never;
        head?: never;
        /**
         * Update an app
         * @description Barcelona's update: the fields given change; services are matched by name and keep what the request does
         *     not mention (an existing service's port mappings are never changed); a new name adds a service. A new
         *     release, deployed. On a `local` district an `image_name` its catalog cannot run is refused as at create
         *     (422 naming `body.image_name`).
         */
        patch: operations["updateApp"];
        trace?: never;
    };
    "/apps/{app}/env_vars": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set env vars
         * @description Upserts the variables (values sealed at rest) as a new release, deployed.
         */
        post: operations["updateAppEnvVars"];
        /**
         * Unset env vars
         * @description Removes the keys as a new release, deployed; an unknown key is a no-op (the original answered 500).
         */
        delete: operations["deleteAppEnvVars"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{app}/services/{service}/scale": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
                /** @description The service's name. */
                service: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Scale a service
         * @description The route that was broken in Barcelona's first version. A new release, deployed; `{"service":…}`.
         */
        post: operations["updateAppServiceScale"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{app}/oneoffs": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run a one-off task
         * @description Runs `command` once with the app's image (`image_tag` overrides the tag) and env (`env_vars` added). With
         *     `sync` the answer waits a few seconds for the task to stop; follow it with `GET /oneoffs/{id}` either way.
         */
        post: operations["createAppOneoff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oneoffs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The one-off's uuid. */
                id: string;
            };
            cookie?: never;
        };
        /** Get a one-off task */
        get: operations["getOneoff"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{app}/releases": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
            };
            cookie?: never;
        };
        /**
         * List an app's releases
         * @description Newest first, each with its deploy's state.
         */
        get: operations["listAppReleases"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{app}/releases/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
                /**
                 * @description The release's version number.
                 * @example 3
                 */
                version: components["parameters"]["ReleaseVersion"];
            };
            cookie?: never;
        };
        /** Get a release */
        get: operations["getAppRelease"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{app}/releases/{version}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
                /**
                 * @description The release's version number.
                 * @example 3
                 */
                version: components["parameters"]["ReleaseVersion"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Roll back to a release
         * @description Makes a new release equal to `version` (image, services, env vars) and deploys it. On a `local` district a release whose image the operator's catalog no longer runs is refused with 422 naming `path.version` and the image.
         */
        post: operations["createAppRollback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{app}/events": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
            };
            cookie?: never;
        };
        /**
         * List an app's deploy events
         * @description Newest first, with Barcelona's messages and levels (good, warn, error).
         */
        get: operations["listAppEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/apps/{app}/drift": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
            };
            cookie?: never;
        };
        /**
         * Show drift from the applied release
         * @description What the provider runs now that differs from the last applied release (desired count, task definition,
         *     image, command, env keys, load balancer listeners), each difference with its path. `release` is null before
         *     a deploy finished.
         */
        get: operations["getAppDrift"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/autoscaling-group-builds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Build an autoscaling group from an instance (pudding)
         * @description Pudding's autoscaling group build, answered 202 while a resumable job makes, in order: the group from the
         *     instance (tags role, queue, site, env and Name propagated at launch), the scale-out and scale-in policies
         *     (`<name>-sop`, `<name>-sip`: ChangeInCapacity, +1 / −1, cooldown 300 s unless overridden), the CloudWatch
         *     alarms that run them (`<name>-add-capacity`: average CPUUtilization over 2 periods of 120 s ≥ 90;
         *     `<name>-remove-capacity`: < 10) and the lifecycle hooks `<name>-lch-launching` and `<name>-lch-terminating`
         *     (CONTINUE after 900 s, announced on `topic_arn` with `role_arn`). Each step is done once: a retried job
         *     resumes after the last step done, and the group's name is rendered once, when the build is made.
         *
         *     `instance_id` names one of the tenant's instances by its id, `i-<id>`, `i-<first 8 hex digits>` or its
         *     provider's id (an EC2 `i-…`). An unknown instance, one on a provider without autoscaling groups (`local`,
         *     `gce`), one not running yet or a `name_template` that does not render answer 422 naming the field; a name
         *     another build of the tenant, or of the same topic, already gave its group answers 409. The name
         *     template is pudding's (Go template fields `Role`, `Site`, `Env`, `Queue`, `InstanceID`,
         *     `InstanceIDWithoutPrefix`, `ID`, `MinSize`, `MaxSize`, `DesiredCapacity`, `Timestamp`). Missing fields are
         *     listed in pudding's order and words (`empty "instance_id"`, `empty "site" param`, …, `empty "topic_arn" param`).
         */
        post: operations["createAutoscalingGroupBuild"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sns-messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive an SNS message (pudding; no authentication)
         * @description Where the autoscaling groups' SNS topic delivers (an HTTPS subscription). SNS sends no credentials, so the
         *     message's own signature is what is checked: `SigningCertURL` must be an SNS host's certificate
         *     (`https://sns.<region>.amazonaws.com/SimpleNotificationService-….pem`), and `Signature` (version 1 or 2) must
         *     verify under it, else 403 naming what failed; a body that is not such a message answers 400. The body is read
         *     as JSON whatever its `Content-Type` (SNS labels it `text/plain`).
         *
         *     A verified message of a topic that an autoscaling group build named is acted on once per `MessageId`:
         *     `SubscriptionConfirmation` is confirmed (ConfirmSubscription) only when the operator set `SNS_CONFIRMATION`;
         *     a `Notification` carrying a lifecycle action of that build's group is stored until the instance's own
         *     `/instance-launches` or `/instance-terminations` callback completes it (CONTINUE), and a terminating one makes
         *     the instance's heartbeats answer `expected_state: down`. Auto Scaling's test notification, a topic no build
         *     named and a repeated `MessageId` are accepted and change nothing. Answers pudding's 200 with the message.
         */
        post: operations["notifySnsMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/registry/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register an account
         * @description Photon's AccountCreate: the client makes its key pair and sends the public key (SPKI PEM) or a CSR; the
         *     registry's CA answers a leaf certificate for it and the CA bundle to verify the registry's chain with. The
         *     private key never leaves the client (`overcast register <email>` keeps it in its config directory).
         */
        post: operations["registerAccount"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/datacenters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List your datacenters */
        get: operations["listDatacenters"];
        put?: never;
        /**
         * Register a datacenter
         * @description Photon's DatacenterCreate: name, region, the agent's endpoint, its public key (or a CSR) and the profiles
         *     it offers. Answers an intermediate CA certificate for the agent (path length 0) and the CA bundle. A name
         *     the tenant already uses answers 409.
         */
        post: operations["registerDatacenter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/datacenters/match": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Match an overcast.yml to datacenters
         * @description Photon's `search`: for each datacenter entry of the file, every datacenter (of any operator: this is the
         *     marketplace) that satisfies its region, qos and price, cheapest first. The body is the file itself, as YAML
         *     (`application/yaml`, `text/yaml`, or no label) or as JSON; an invalid file answers 200 with `valid: false`
         *     and every problem with its path and line.
         */
        post: operations["listMatchingDatacenters"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/datacenters/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The datacenter's or deployment's uuid.
                 * @example 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c
                 */
                id: components["parameters"]["RegistryId"];
            };
            cookie?: never;
        };
        /** Get a datacenter */
        get: operations["getDatacenter"];
        put?: never;
        post?: never;
        /**
         * Delete a datacenter
         * @description Its certificate is revoked; the nodes placed on it are placed again elsewhere.
         */
        delete: operations["deleteDatacenter"];
        options?: never;
        head?: never;
        /**
         * Update a datacenter
         * @description Photon's DatacenterUpdate: a new endpoint and/or the whole list of profiles it offers.
         */
        patch: operations["updateDatacenter"];
        trace?: never;
    };
    "/deployments/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Validate an overcast.yml
         * @description The same verdict as `overcast deployments validate` gives offline: every problem at once, each with its path in the file (`deployment.services.web.westcoast.profile`) and its line.
         */
        post: operations["validateDeployment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deployments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List deployments */
        get: operations["listDeployments"];
        put?: never;
        /**
         * Create a deployment
         * @description Photon's `create`: the file is validated (an invalid one answers 400 with every problem, each detail's
         *     `path` the place in the file and its message starting with the line), the deployment gets its own leaf
         *     certificate, and each datacenter entry is placed at once on the cheapest datacenter that satisfies it; its
         *     nodes start there. Answers 201 with the placement.
         */
        post: operations["createDeployment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deployments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The datacenter's or deployment's uuid.
                 * @example 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c
                 */
                id: components["parameters"]["RegistryId"];
            };
            cookie?: never;
        };
        /**
         * Get a deployment's status
         * @description Per service and datacenter entry, the datacenter it is placed on, desired and running nodes, and endpoints.
         */
        get: operations["getDeployment"];
        /**
         * Update a deployment
         * @description Photon's `update` with a new file: the plan (per service and entry, nodes to add, move and remove), applied
         *     unless `dry_run=true`, in which case nothing changes and `deployment` is absent.
         */
        put: operations["updateDeployment"];
        post?: never;
        /**
         * Delete a deployment
         * @description Its nodes are stopped by their datacenters' agents.
         */
        delete: operations["deleteDeployment"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deployments/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The datacenter's or deployment's uuid.
                 * @example 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c
                 */
                id: components["parameters"]["RegistryId"];
            };
            cookie?: never;
        };
        /**
         * Follow a deployment's events
         * @description Server-sent events: Photon's seven (`cluster.created`, `cluster.down`, `cluster.node.created`,
         *     `cluster.node.down`, `deploy.begin`, `deploy.complete`, `deploy.failure`) plus `placement.changed` and
         *     `notification.requested`. Each event's `id` is its sequence number and its `data` the event as JSON. A new
         *     connection gets the deployment's events from its start; one with `Last-Event-ID` (as EventSource sends on
         *     reconnect) resumes after it. With `follow=false` the stream ends after the events so far. A comment line
         *     keeps an idle stream open through proxies.
         */
        get: operations["listDeploymentEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deployments/{id}/notify": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The datacenter's or deployment's uuid.
                 * @example 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c
                 */
                id: components["parameters"]["RegistryId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a deployment's notifications
         * @description Photon's `notify [name] [--event e]`: sends `event` (default `deploy.complete`) to the named notification
         *     of the deployment's file, or to every notification that listens for it. An unknown name or event answers 400.
         */
        post: operations["notifyDeployment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/account/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List cloud accounts */
        get: operations["listCloudAccounts"];
        put?: never;
        /**
         * Register a cloud account
         * @description `resourcetype: AwsAccount` registers by role ARN as cloudigrade did: the ARN parsed, the role assumed, the
         *     policy verified, a CloudTrail trail `cloudigrade-<account id>` made, running instances tracked; every
         *     refusal worded as the original (`{"account_arn": ["Invalid ARN."]}`). `LocalAccount` needs no cloud: its
         *     activity logs are uploaded (`POST /api/v1/account/{id}/activity-logs`). A name is unique per tenant.
         */
        post: operations["createCloudAccount"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/account/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An integer id; anything else answers 404. */
                id: components["parameters"]["UsageId"];
            };
            cookie?: never;
        };
        /** Get a cloud account */
        get: operations["getCloudAccount"];
        /**
         * Rename a cloud account
         * @description Only `name` changes; an `account_arn` other than the account's answers 400 `You cannot change this field.`
         */
        put: operations["updateCloudAccount"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Rename a cloud account
         * @description As PUT.
         */
        patch: operations["updateCloudAccountPartially"];
        trace?: never;
    };
    "/api/v1/account/{id}/activity-logs": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An integer id; anything else answers 404. */
                id: components["parameters"]["UsageId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a CloudTrail file for an account
         * @description One CloudTrail file (`{"Records": […]}`, gzip or plain JSON, at most 12 MiB as sent) whose records belong to
         *     this account. Power on/off records become events, once each by `eventID`: the same file again adds nothing.
         *     A file that is not a whole CloudTrail document (truncated, not JSON, a gzip bomb) is refused whole with 400
         *     `{"activity_log": ["<reason>"]}` and nothing of it is stored.
         */
        post: operations["createActivityLog"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/instance/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tracked instances */
        get: operations["listTrackedInstances"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/instance/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An integer id; anything else answers 404. */
                id: components["parameters"]["UsageId"];
            };
            cookie?: never;
        };
        /** Get a tracked instance */
        get: operations["getTrackedInstance"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/event/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List power events */
        get: operations["listPowerEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/event/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An integer id; anything else answers 404. */
                id: components["parameters"]["UsageId"];
            };
            cookie?: never;
        };
        /** Get a power event */
        get: operations["getPowerEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/image/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List machine images */
        get: operations["listMachineImages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/image/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An integer id; anything else answers 404. */
                id: components["parameters"]["UsageId"];
            };
            cookie?: never;
        };
        /** Get a machine image */
        get: operations["getMachineImage"];
        /**
         * Challenge what inspection found
         * @description Only `rhel_challenged` and `openshift_challenged` are writable (other members are read-only and ignored).
         *     A challenge flips the verdict: `rhel = rhel_detected XOR rhel_challenged`, the same for OpenShift.
         */
        put: operations["updateMachineImageChallenges"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Challenge what inspection found
         * @description As PUT.
         */
        patch: operations["updateMachineImageChallengesPartially"];
        trace?: never;
    };
    "/api/v1/image/{id}/inspection": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An integer id; anything else answers 404. */
                id: components["parameters"]["UsageId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Inspect an image from its disk
         * @description The body is the image's disk as bytes: a raw disk (MBR or GPT, LVM, ext2/3/4 or XFS), a qcow2 image, a bare
         *     filesystem, or a tar of its root filesystem (gzip or not). It is read as it streams in — never mounted or
         *     booted — with houndigrade's checks, and the image records what was found: `status` (`inspected`, or `error`
         *     when nothing in it is a filesystem the inspector reads), the `rhel_*_found` checks, `rhel_detected`, and in
         *     `inspection` each check's evidence (partition, file, the line, repo or signing key that counted). A Windows
         *     image is marked inspected without being read. At most the operator's `INSPECTION_UPLOAD_MAX_BYTES` as sent
         *     (413 beyond, nothing recorded); an upload cut short answers 400 and records nothing; an unreadable image
         *     answers 422 naming why, recorded as `error`. Another tenant's image is 404.
         */
        post: operations["inspectMachineImage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sysconfig/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The AWS account customers' roles trust */
        get: operations["getUsageSysconfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/report/instances/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Daily RHEL and OpenShift usage
         * @description cloudigrade's algorithm: for each instance, its latest event before `start` and every event in
         *     [`start`, `end`); a power_on while on and a power_off while off change nothing. Days run from `start`, the
         *     last one cut at `end`; an `end` in the future is now. Instances whose image is unknown are not counted.
         */
        get: operations["getDailyUsageReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/report/accounts/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Each account's instances and images in a window
         * @description Counts are `null` when `end` is not after the account's creation.
         */
        get: operations["getAccountsReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/report/images/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The images an account's instances ran in a window
         * @description `account_id` is required; an account of another tenant answers an empty list, as cloudigrade did.
         */
        get: operations["getImagesReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description Stable, machine-readable; never changes meaning once shipped.
         * @enum {string}
         */
        ErrorCode: "bad_request" | "unauthenticated" | "forbidden" | "not_found" | "method_not_allowed" | "conflict" | "gone" | "payload_too_large" | "headers_too_large" | "unsupported_media_type" | "unprocessable" | "quota_exceeded" | "rate_limited" | "internal" | "unavailable" | "timeout";
        ErrorDetail: {
            /** @description Where the problem is, e.g. `body.instance_builds.count`. */
            path?: string;
            message: string;
            /** @description On `quota_exceeded`, the quota that has no room and by how much. */
            quota?: components["schemas"]["Quota"] & {
                /** @description What the refused request asked for. */
                requested: number;
            };
        };
        Error: {
            code: components["schemas"]["ErrorCode"];
            message: string;
            details: components["schemas"]["ErrorDetail"][];
            /** @description Also sent as the `X-Request-ID` response header. */
            request_id: string;
        };
        ErrorEnvelope: {
            error: components["schemas"]["Error"];
        };
        /** @description The standard envelope plus cloud-brain's `errors`, a list of message strings. */
        LegacyInstanceErrorEnvelope: components["schemas"]["ErrorEnvelope"] & {
            errors: string[];
        };
        /** @description The standard envelope plus pudding's `errors`, a list of `{"details": message}`. */
        PuddingErrorEnvelope: components["schemas"]["ErrorEnvelope"] & {
            errors: {
                details: string;
            }[];
        };
        Health: {
            /** @constant */
            status: "ok";
        };
        /** @description The /readyz body of every Overcast service (service-kit's ReadinessReport), the gateway's included. */
        Readiness: {
            /** @enum {string} */
            status: "ready" | "not_ready";
            checks: {
                [key: string]: boolean;
            };
            /** @description Which services answer (the gateway's); reported beside its readiness, never folded into it. */
            services?: {
                [key: string]: boolean;
            };
        };
        /** @enum {string} */
        Role: "admin" | "developer";
        LoginResult: {
            /** @description The GitHub login. */
            login: string;
            /** @description A new Overcast API token; shown once. */
            token: string;
        };
        CreateTokenRequest: {
            description: string;
            /** @default developer */
            role?: components["schemas"]["Role"];
        };
        Token: {
            /** @description The numeric id before `-` in the token. */
            id: string;
            description: string;
            role: components["schemas"]["Role"];
            tenant_id: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            last_used_at?: string | null;
        };
        CreatedToken: {
            id: string;
            /** @description The secret `<id>-<32 hex>`; returned only here. */
            token: string;
            description: string;
            role: components["schemas"]["Role"];
            tenant_id: string;
            /** Format: date-time */
            created_at: string;
        };
        TokenList: {
            tokens: components["schemas"]["Token"][];
        };
        ServiceHealth: {
            service: string;
            /** @enum {string} */
            status: "up" | "down";
            /** @description Round trip of the status RPC. */
            latency_ms?: number;
            /** @description Named readiness checks and whether each passed. */
            checks?: {
                [key: string]: boolean;
            };
        };
        PlatformStatus: {
            /** @enum {string} */
            status: "ok" | "degraded";
            services: components["schemas"]["ServiceHealth"][];
        };
        Quota: {
            /**
             * @description `instances`: instances not terminated, plus the count of pending builds that boot instances. `districts`: the tenant's districts. `apps`: the tenant's apps, in every district.
             * @example instances
             */
            name: string;
            limit: number;
            used: number;
        };
        QuotaList: {
            quotas: components["schemas"]["Quota"][];
        };
        /**
         * @description A size class, `standard` or `premium` (`default` is cloud-brain's name for `standard` and is stored as
         *     `standard`), which each provider maps to its own machine type, or a machine type of the instance's provider
         *     itself: an EC2 instance type (`c3.2xlarge`) on `aws`, a GCE machine type (`n1-standard-4`) on `gce`; the
         *     `local` and `fake` providers run any of these alike. A type the provider does not have answers 422
         *     naming `instance_type`.
         * @example c3.2xlarge
         */
        InstanceType: string;
        /** @enum {string} */
        InstanceState: "creating" | "starting" | "running" | "terminating" | "terminated" | "errored";
        CreateInstanceRequest: {
            /** @description A provider name configured by the operator. */
            provider: string;
            /** @description An image of the provider's catalog (`GET /images` lists it as `image_id`); another answers 422. */
            image: string;
            /** @default standard */
            instance_type?: components["schemas"]["InstanceType"];
            /** @description Injected into the VM for SSH access where the provider supports it. */
            public_ssh_key?: string;
            env?: string;
            site?: string;
            role?: string;
            queue?: string;
        };
        Instance: {
            /** Format: uuid */
            id: string;
            provider: string;
            image: string;
            instance_type: components["schemas"]["InstanceType"];
            state: components["schemas"]["InstanceState"];
            ip_address: string | null;
            /** @description The provider's id of the VM. */
            upstream_id: string | null;
            /** @description Why the instance is `errored`. */
            error_reason: string | null;
            public_ssh_key?: string | null;
            env: string | null;
            site: string | null;
            role: string | null;
            queue: string | null;
            /**
             * Format: uuid
             * @description The build that created it, if any.
             */
            instance_build_id: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /**
             * @description Pudding's instance name: its role, site, env and queue (those it has) and the first 8 hex digits of its id,
             *     joined by `-` (`worker-org-staging-docker-0d654ef4`). `i-<those 8 digits>` names the instance in the API.
             */
            name: string;
            /** @description Pudding's name for `image`. */
            image_id: string;
            /** @description Pudding's name for `ip_address`; empty until the provider reports one. */
            ip: string;
            /** @description Pudding's private address. Overcast tracks one address per instance, so this repeats `ip`. */
            private_ip: string;
            /**
             * Format: date-time
             * @description Pudding's name for `created_at`.
             */
            launch_time: string;
        };
        InstanceList: {
            instances: components["schemas"]["Instance"][];
            next_cursor: string | null;
        };
        /** @description Pudding's answer to `GET /instances/{instance_id}`. */
        PuddingInstanceList: {
            instances: components["schemas"]["Instance"][];
        };
        PuddingTerminationAck: {
            /** @constant */
            ok: "working on that";
        };
        /** @enum {string} */
        InstanceBuildState: "pending" | "started" | "finished" | "errored";
        InstanceBuildInput: {
            site: string;
            env: string;
            instance_type: components["schemas"]["InstanceType"];
            /** @description The VM concurrency of the worker the instance runs (the init script's `Count`); one instance boots. */
            count: number;
            queue: string;
            /** @description `worker` when absent or empty, as pudding defaulted it (hubot-pudding sends `""` for none). */
            role?: string;
            /** @description Defaults to the operator's default provider. */
            provider?: string;
            /** @description An image of the provider's catalog (`GET /images`), else 422; defaults to the newest active image for the provider and role (empty = not given). */
            image?: string;
            /** @description Pudding's name for `image`; `image` wins when both are given (empty = not given). */
            ami?: string;
            slack_channel?: string;
            subnet_id?: string;
            security_group_id?: string;
            /**
             * @description false only prepares the init script.
             * @default true
             */
            boot_instance?: boolean;
        };
        CreateInstanceBuildRequest: {
            instance_builds: components["schemas"]["InstanceBuildInput"];
        };
        InstanceBuild: {
            /** Format: uuid */
            id: string;
            state: components["schemas"]["InstanceBuildState"];
            site: string;
            env: string;
            role: string;
            queue: string;
            instance_type: components["schemas"]["InstanceType"];
            count: number;
            provider: string;
            /** @description null until resolved from the catalog. */
            image: string | null;
            slack_channel: string | null;
            subnet_id?: string | null;
            security_group_id?: string | null;
            boot_instance: boolean;
            /** @description Overcast ids of the instances created so far. */
            instance_ids: string[];
            /** Format: date-time */
            created_at: string;
        };
        InstanceBuildList: {
            instance_builds: components["schemas"]["InstanceBuild"][];
        };
        UpdateInstanceBuildForm: {
            /** @description `finished` triggers the notification; anything else is a no-op. */
            state?: string;
            "instance-id"?: string;
            "slack-channel"?: string;
        };
        /** @description As pudding's hooks send it (`curl -d '{"instance_id":"…"}'`); other members are ignored. */
        InstanceLifecycleReport: {
            /** @description The instance's id as its script found it (EC2's metadata service); may be empty. */
            instance_id?: string;
        };
        DebugVars: {
            memstats: {
                rss: number;
                heapTotal: number;
                heapUsed: number;
                external: number;
                arrayBuffers: number;
            };
            uptime_seconds: number;
            runtime: string;
        };
        InstanceHeartbeatForm: {
            "instance-id"?: string;
        };
        InstanceHeartbeat: components["schemas"]["Instance"] & {
            /**
             * @description `down` once the instance is being terminated; else `up`.
             * @enum {string}
             */
            expected_state: "up" | "down";
        };
        InstanceLifecycleAck: {
            /** @description The reported instance id. */
            yay: string;
        };
        BuildFinishedAck: {
            /** @constant */
            sure: "why not";
        };
        BuildNoOpAck: {
            /** @constant */
            no: "op";
        };
        Image: {
            /** Format: uuid */
            id: string;
            /** @description The provider's image reference (e.g. `ami-00aabbcc`). */
            image_id: string;
            provider: string;
            role: string;
            name: string;
            active: boolean;
            /**
             * @description Whether instances can boot from it.
             * @enum {string}
             */
            state: "available" | "unavailable";
            /** Format: date-time */
            created_at: string;
        };
        ImageList: {
            images: components["schemas"]["Image"][];
        };
        RegisterImageRequest: {
            provider: string;
            image_id: string;
            role: string;
            name: string;
            /** @default false */
            active?: boolean;
        };
        /** @description Barcelona's name rule (letters, digits and dashes, not starting or ending with a dash). */
        BarcelonaName: string;
        NullableText: string | null;
        EnvVars: {
            [key: string]: string;
        };
        DistrictUpdate: {
            /** @enum {string} */
            provider?: "aws" | "local" | "fake";
            region?: components["schemas"]["NullableText"];
            vpc_id?: components["schemas"]["NullableText"];
            public_elb_security_group?: components["schemas"]["NullableText"];
            private_elb_security_group?: components["schemas"]["NullableText"];
            instance_security_group?: components["schemas"]["NullableText"];
            ecs_service_role?: components["schemas"]["NullableText"];
            ecs_instance_role?: components["schemas"]["NullableText"];
            private_hosted_zone_id?: components["schemas"]["NullableText"];
            s3_bucket_name?: components["schemas"]["NullableText"];
            logentries_token?: components["schemas"]["NullableText"];
            aws_access_key_id?: components["schemas"]["NullableText"];
            aws_secret_access_key?: components["schemas"]["NullableText"];
            /** @description Barcelona's docker registry credentials (JSON) */
            dockercfg?: unknown;
        };
        DistrictCreate: components["schemas"]["DistrictUpdate"] & {
            name: components["schemas"]["BarcelonaName"];
        };
        District: {
            name: string;
            /** @enum {string} */
            provider: "aws" | "local" | "fake";
            region?: string | null;
            vpc_id?: string | null;
            public_elb_security_group?: string | null;
            private_elb_security_group?: string | null;
            instance_security_group?: string | null;
            ecs_service_role?: string | null;
            ecs_instance_role?: string | null;
            private_hosted_zone_id?: string | null;
            s3_bucket_name?: string | null;
            logentries_token?: string | null;
            /** @description The write-only credentials are never shown. */
            aws_credentials_set: boolean;
            container_instances: {
                id: string;
                state: string;
                instance_type: string;
                ip_address: string | null;
            }[];
            apps: string[];
            /** @description The same names */
            heritages: string[];
            /** Format: date-time */
            created_at: string;
        };
        PortMapping: {
            lb_port: number;
            container_port: number;
        };
        ServiceInput: {
            name: components["schemas"]["BarcelonaName"];
            /** @description 512 by default. */
            cpu?: number;
            /** @description 512 by default. */
            memory?: number;
            command?: string | null;
            public?: boolean;
            port_mappings?: components["schemas"]["PortMapping"][];
            /** @description 1 by default. */
            scale?: number;
            /**
             * @description When a cron service runs, in UTC, in one of three forms:
             *     - five-field cron `minute hour day-of-month month day-of-week` (`*\/15 * * * *`; day-of-week 0-7 or
             *       SUN-SAT, 0 and 7 Sunday; month 1-12 or JAN-DEC);
             *     - EventBridge's `cron(minute hour day-of-month month day-of-week year)`, as Barcelona's
             *       `scheduled_tasks` wrote them (`cron(0 3 ? * MON-FRI *)`: day-of-week 1-7 from Sunday, `?` in exactly
             *       one of the two day fields, year `*`);
             *     - EventBridge's `rate(N unit)`: `rate(1 minute)`, `rate(5 minutes)`, `hour(s)`, `day(s)`, singular only
             *       for 1; the first run is one interval after the deploy.
             *     Fields take `*`, values, ranges `a-b`, steps `/n` and comma lists. Refused with 400 naming
             *     `body.services[i].schedule`: a sixth (seconds) field in five-field cron, `@daily` forms, EventBridge's `L`,
             *     `W` and `#`, a year other than `*`, both day fields restricted (EventBridge cannot run "this day of the
             *     month or this day of the week"), and a cron that never matches a date. On `aws` the service becomes an
             *     EventBridge rule, elsewhere Overcast's durable scheduler runs it; both fire on the same minutes.
             * @example cron(0 3 ? * MON-FRI *)
             */
            schedule?: string | null;
        };
        AppUpdate: {
            image_name?: string | null;
            image_tag?: string | null;
            before_deploy?: string | null;
            slack_url?: string | null;
            env_vars?: components["schemas"]["EnvVars"];
            services?: components["schemas"]["ServiceInput"][];
        };
        AppCreate: components["schemas"]["AppUpdate"] & {
            name: components["schemas"]["BarcelonaName"];
        };
        AppService: {
            name: string;
            public: boolean;
            command: string | null;
            cpu: number;
            memory: number;
            scale: number;
            schedule: string | null;
            endpoint: null | {
                name: string;
                dns_name: string;
            };
            /** @enum {string} */
            status: "not_created" | "inactive" | "deploying" | "active" | "unknown";
            port_mappings: components["schemas"]["PortMapping"][];
        };
        App: {
            name: string;
            image_name: string | null;
            image_tag: string | null;
            env_vars: {
                [key: string]: string;
            };
            before_deploy: string | null;
            slack_url: string | null;
            services: components["schemas"]["AppService"][];
            district: string;
            /** @description The newest release. */
            release: number;
            /** @description The newest release's deploy (running, done, failed, timed_out, superseded). */
            deploy_state: string | null;
        };
        Oneoff: {
            /** Format: uuid */
            id: string;
            task_arn: string | null;
            command: string;
            /** @enum {string} */
            status: "pending" | "running" | "stopped";
            exit_code: number | null;
            reason: string | null;
            /** @description The task's output where the provider keeps it (local). */
            output: string | null;
            /** @description The app */
            heritage: string;
            app: string;
            /** Format: date-time */
            created_at: string;
        };
        Release: {
            version: number;
            description: string;
            image: string | null;
            env_keys: string[];
            services: {
                name: string;
                scale: number;
                command: string | null;
            }[];
            deploy_state: string | null;
            /** Format: date-time */
            created_at: string;
        };
        DeployEvent: {
            /** Format: uuid */
            uuid: string;
            /** @enum {string} */
            level: "good" | "warn" | "error";
            message: string;
            release: number | null;
            /** Format: date-time */
            created_at: string;
        };
        /** @enum {string} */
        ScalingPolicyMetricStatistic: "SampleCount" | "Average" | "Sum" | "Minimum" | "Maximum";
        /** @enum {string} */
        ScalingComparisonOperator: "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";
        /** @description Pudding's fields; each `scale_*` field not given keeps pudding's default. Unknown fields are ignored. */
        AutoscalingGroupBuildInput: {
            /** @description The instance: its id, `i-…` or its provider id. */
            instance_id: string;
            site: string;
            env: string;
            queue: string;
            role: string;
            /** @description The role the lifecycle hooks publish with. */
            role_arn: string;
            /** @description The SNS topic the hooks announce on. */
            topic_arn: string;
            /** @default 0 */
            min_size?: number;
            /** @default 0 */
            max_size?: number;
            /** @default 0 */
            desired_capacity?: number;
            default_cooldown?: number;
            /** @description Kept as sent; the group launches what the instance is. */
            instance_type?: string;
            slack_channel?: string;
            /** @description Pudding's Go template of the group's name. */
            name_template?: string;
            scale_out_cooldown?: number;
            scale_out_adjustment?: number;
            scale_out_metric_name?: string;
            scale_out_metric_namespace?: string;
            scale_out_metric_statistic?: components["schemas"]["ScalingPolicyMetricStatistic"];
            scale_out_metric_period?: number;
            scale_out_metric_evaluation_periods?: number;
            scale_out_metric_threshold?: number;
            scale_out_metric_comparison_operator?: components["schemas"]["ScalingComparisonOperator"];
            scale_in_cooldown?: number;
            scale_in_adjustment?: number;
            scale_in_metric_name?: string;
            scale_in_metric_namespace?: string;
            scale_in_metric_statistic?: components["schemas"]["ScalingPolicyMetricStatistic"];
            scale_in_metric_period?: number;
            scale_in_metric_evaluation_periods?: number;
            scale_in_metric_threshold?: number;
            scale_in_metric_comparison_operator?: components["schemas"]["ScalingComparisonOperator"];
        };
        CreateAutoscalingGroupBuildRequest: {
            autoscaling_group_builds: components["schemas"]["AutoscalingGroupBuildInput"];
        };
        /** @description Pudding's fields (every `scale_*` resolved), with Overcast's state, provider and instance id. */
        AutoscalingGroupBuild: {
            /** Format: uuid */
            id: string;
            /** @description The group's name, rendered from `name_template` when the build was made. */
            name: string;
            /** @description The instance's provider id (EC2's `i-…`), as pudding kept it. */
            instance_id: string;
            /** Format: uuid */
            overcast_instance_id: string;
            provider: string;
            role_arn: string;
            topic_arn: string;
            name_template: string;
            queue: string;
            env: string;
            site: string;
            role: string;
            min_size: number;
            max_size: number;
            desired_capacity: number;
            default_cooldown: number | null;
            instance_type: string | null;
            slack_channel: string | null;
            /** @description Unix seconds when the build was made (the template's `Timestamp`). */
            timestamp: number;
            scale_out_cooldown?: number;
            scale_out_adjustment?: number;
            scale_out_metric_name?: string;
            scale_out_metric_namespace?: string;
            scale_out_metric_statistic?: components["schemas"]["ScalingPolicyMetricStatistic"];
            scale_out_metric_period?: number;
            scale_out_metric_evaluation_periods?: number;
            scale_out_metric_threshold?: number;
            scale_out_metric_comparison_operator?: components["schemas"]["ScalingComparisonOperator"];
            scale_in_cooldown?: number;
            scale_in_adjustment?: number;
            scale_in_metric_name?: string;
            scale_in_metric_namespace?: string;
            scale_in_metric_statistic?: components["schemas"]["ScalingPolicyMetricStatistic"];
            scale_in_metric_period?: number;
            scale_in_metric_evaluation_periods?: number;
            scale_in_metric_threshold?: number;
            scale_in_metric_comparison_operator?: components["schemas"]["ScalingComparisonOperator"];
            /** @enum {string} */
            state: "pending" | "finished" | "errored";
            error_reason?: string | null;
            /** Format: date-time */
            created_at: string;
        };
        AutoscalingGroupBuildList: {
            autoscaling_group_builds: components["schemas"]["AutoscalingGroupBuild"][];
        };
        /** @description An SNS HTTP(S) delivery as SNS signs it; fields SNS may add are kept. */
        SnsMessage: {
            /** @enum {string} */
            Type: "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";
            MessageId: string;
            TopicArn: string;
            Subject?: string;
            Message: string;
            Timestamp: string;
            /**
             * @description SHA1withRSA (1) or SHA256withRSA (2).
             * @enum {string}
             */
            SignatureVersion: "1" | "2";
            Signature: string;
            SigningCertURL: string;
            Token?: string;
            SubscribeURL?: string;
            UnsubscribeURL?: string;
        };
        SnsMessageList: {
            sns_messages: components["schemas"]["SnsMessage"][];
        };
        /** @description `public_key` or `csr`, one of them. */
        RegisterAccountRequest: {
            /** Format: email */
            email: string;
            /** @description SPKI public key, PEM. */
            public_key?: string;
            /** @description PKCS#10 request, PEM. */
            csr?: string;
        };
        RegistryAccount: {
            /** Format: uuid */
            id: string;
            email: string;
            /** @description The account's leaf certificate */
            certificate: string;
            /** @description The registry's root */
            ca_bundle: string;
        };
        /**
         * @description 1–63 lowercase letters, digits and dashes.
         * @example westcoast
         */
        RegistryName: string;
        DatacenterProfile: {
            name: components["schemas"]["RegistryName"];
            cpu: number;
            memory_bytes: number;
            /** @enum {string} */
            lifetime: "short" | "medium" | "long";
            /** @description Per node-hour. */
            price: number;
            /** @description How many nodes it runs. */
            capacity: number;
        };
        /** @description `public_key` or `csr`, one of them. */
        RegisterDatacenterRequest: {
            name: components["schemas"]["RegistryName"];
            /** @example us-west */
            region: string;
            /** @description The agent's address (host:port). */
            endpoint: string;
            /** @description SPKI public key, PEM. */
            public_key?: string;
            /** @description PKCS#10 request, PEM. */
            csr?: string;
            profiles: components["schemas"]["DatacenterProfile"][];
        };
        UpdateDatacenterRequest: {
            endpoint?: string;
            profiles?: components["schemas"]["DatacenterProfile"][];
        };
        Datacenter: {
            /** Format: uuid */
            id: string;
            name: string;
            region: string;
            endpoint: string;
            /**
             * @description Down once its agent misses its heartbeats.
             * @enum {string}
             */
            state: "up" | "down";
            profiles: components["schemas"]["DatacenterProfile"][];
            /** Format: date-time */
            last_heartbeat_at: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        RegisteredDatacenter: {
            datacenter: components["schemas"]["Datacenter"];
            /** @description The datacenter's intermediate CA certificate, PEM. */
            certificate: string;
            /** @description The registry's root */
            ca_bundle: string;
        };
        DatacenterList: {
            datacenters: components["schemas"]["Datacenter"][];
        };
        ConfigProblem: {
            /** @description The file (overcast.yml */
            source: string;
            /** @example deployment.services.web.westcoast.profile */
            path: string;
            line: number;
            column: number;
            message: string;
        };
        DeploymentVerdict: {
            valid: boolean;
            errors: components["schemas"]["ConfigProblem"][];
        };
        DatacenterMatches: {
            valid: boolean;
            errors: components["schemas"]["ConfigProblem"][];
            matches: {
                /** @description The datacenter entry of the file. */
                entry: string;
                region: string;
                /** @description Cheapest first; `price` is that of the entry's nodes there. */
                datacenters: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    region: string;
                    price: number;
                }[];
            }[];
        };
        ServicePlacement: {
            service: string;
            /** @description The datacenter entry of the file. */
            entry: string;
            profile: string;
            /**
             * Format: uuid
             * @description Where the entry is placed; null when no datacenter satisfies it.
             */
            datacenter_id: string | null;
            desired: number;
            running: number;
            endpoints: string[];
        };
        /** @enum {string} */
        DeploymentState: "deploying" | "active" | "degraded";
        Deployment: {
            /** Format: uuid */
            id: string;
            state: components["schemas"]["DeploymentState"];
            version: number;
            services: components["schemas"]["ServicePlacement"][];
            /** @description The deployment's own leaf certificate */
            certificate: string;
            ca_bundle: string;
            /** @description The Standard Webhooks secret (`whsec_…`) this deployment's webhook notifications are signed with; a receiver verifies webhook-signature with it (any Standard Webhooks library). */
            webhook_secret: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        DeploymentSummary: {
            /** Format: uuid */
            id: string;
            state: components["schemas"]["DeploymentState"];
            version: number;
            services: string[];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        DeploymentList: {
            deployments: components["schemas"]["DeploymentSummary"][];
        };
        PlanStep: {
            service: string;
            entry: string;
            add: number;
            remove: number;
            /** @description Nodes that change datacenter. */
            move: number;
            /** Format: uuid */
            from_datacenter_id: string | null;
            /** Format: uuid */
            to_datacenter_id: string | null;
        };
        DeploymentUpdate: {
            plan: components["schemas"]["PlanStep"][];
            deployment?: components["schemas"]["Deployment"];
        };
        NotifyDeploymentRequest: {
            /** @description A notification's name in the file. */
            notification?: string;
            /** @enum {string} */
            event?: "cluster.created" | "cluster.down" | "cluster.node.created" | "cluster.node.down" | "deploy.begin" | "deploy.complete" | "deploy.failure";
        };
        NotifyDeploymentResult: {
            notified: string[];
            event: string;
        };
        DrfFieldErrorEnvelope: components["schemas"]["ErrorEnvelope"] & {
            [key: string]: unknown;
        };
        DrfDetailErrorEnvelope: components["schemas"]["ErrorEnvelope"] & {
            detail: string;
        };
        UsagePage: {
            count: number;
            /** @description The next page's URL. */
            next: string | null;
            /** @description The previous page's URL. */
            previous: string | null;
            results: unknown[];
        };
        CreateCloudAccountRequest: {
            /** @enum {string} */
            resourcetype: "AwsAccount" | "LocalAccount";
            account_arn?: string;
            name?: string;
        };
        CloudAccount: {
            id: number;
            url: string;
            /** @enum {string} */
            resourcetype: "AwsAccount" | "LocalAccount" | "OvercastAccount";
            name: string | null;
            account_arn: string | null;
            aws_account_id: string | null;
            /** @description The provider an OvercastAccount follows. */
            provider?: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        TrackedInstance: {
            id: number;
            url: string;
            /** @description The account's URL. */
            account: string;
            /** @enum {string} */
            resourcetype: "AwsInstance" | "OvercastInstance";
            /** @description The cloud's instance id (an Overcast instance id for OvercastInstance). */
            ec2_instance_id: string;
            region: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        PowerEvent: {
            id: number;
            url: string;
            instance: string;
            machineimage: string | null;
            /** @constant */
            resourcetype: "AwsInstanceEvent";
            /** @enum {string} */
            event_type: "power_on" | "power_off";
            /** Format: date-time */
            occurred_at: string;
            subnet: string | null;
            instance_type: string | null;
        };
        MachineImage: {
            id: number;
            url: string;
            /** @constant */
            resourcetype: "AwsMachineImage";
            ec2_ami_id: string;
            owner_aws_account_id?: string | null;
            name?: string | null;
            /** @enum {string} */
            platform?: "none" | "windows";
            /**
             * @description cloudigrade's status machine, and `needs_upload` where no job can read the image (a local catalog image, the fake provider's, GCE's, a local account's): it is inspected once a disk image or rootfs tar is posted to its `inspection`, once the local catalog names a disk for it, or once an instance of a registered AWS account runs it. `status_reason` says why.
             * @enum {string}
             */
            status: "pending" | "preparing" | "inspecting" | "inspected" | "error" | "needs_upload";
            /** @description Why the image is `needs_upload`, or what a `pending` image waits for (the AWS inspection job); null once it was inspected or tried. */
            status_reason?: string | null;
            is_encrypted?: boolean;
            rhel: boolean;
            rhel_detected: boolean;
            rhel_enabled_repos_found?: boolean;
            rhel_product_certs_found?: boolean;
            rhel_release_files_found?: boolean;
            rhel_signed_packages_found?: boolean;
            rhel_challenged: boolean;
            openshift: boolean;
            openshift_detected: boolean;
            openshift_challenged: boolean;
            /** @description The last inspection's provenance (null until one ran). */
            inspection?: components["schemas"]["ImageInspection"] | null;
            /** @description Why the last try to inspect it failed (an AWS image is retried with backoff, then left `error`). */
            inspection_error?: string | null;
            /** Format: date-time */
            created_at?: string;
            /** Format: date-time */
            updated_at?: string;
        };
        InspectionCheck: {
            found: boolean;
            /** @description Every item that made the check positive. */
            evidence: {
                /** @description p1, p2… (`<partition>/<vg>/<lv>` for LVM), rootfs, or metadata */
                partition: string;
                path?: string;
                detail: string;
            }[];
        };
        ImageInspection: {
            /**
             * @description What was read: an upload, the AMI's EBS snapshot, the local catalog's disk, or nothing
             * @enum {string}
             */
            source: "upload" | "ebs" | "catalog" | "none";
            /** Format: date-time */
            inspected_at: string;
            /**
             * @description Why the image was not read.
             * @enum {string}
             */
            skipped?: "windows" | "encrypted";
            rhel: {
                detected: boolean;
                /** @description os-release VERSION_ID where the release files say Red Hat */
                version: string | null;
                checks: {
                    release_files: components["schemas"]["InspectionCheck"];
                    product_certificates: components["schemas"]["InspectionCheck"];
                    enabled_repos: components["schemas"]["InspectionCheck"];
                    signed_packages: components["schemas"]["InspectionCheck"];
                };
            };
            openshift: {
                detected: boolean;
                checks: {
                    tag: components["schemas"]["InspectionCheck"];
                };
            };
            /** @description What could not be read */
            errors: string[];
        };
        ActivityLogIngestion: {
            records: number;
            relevant_records: number;
            events_added: number;
            instances_added: number;
            images_added: number;
        };
        DailyUsageReport: {
            daily_usage: {
                /** Format: date-time */
                date: string;
                rhel_instances: number;
                openshift_instances: number;
                rhel_runtime_seconds: number;
                openshift_runtime_seconds: number;
            }[];
            instances_seen_with_rhel: number;
            instances_seen_with_openshift: number;
        };
        AccountOverview: {
            id: number;
            cloud_account_id: string | null;
            /** @enum {string} */
            type: "aws" | "local" | "overcast";
            arn: string | null;
            /** Format: date-time */
            creation_date: string;
            name: string | null;
            images: number | null;
            instances: number | null;
            rhel_instances: number | null;
            openshift_instances: number | null;
        };
        ImageOverview: {
            id: number;
            cloud_image_id: string;
            name: string | null;
            status: string;
            is_encrypted: boolean;
            rhel: boolean;
            rhel_detected: boolean;
            rhel_challenged: boolean;
            openshift: boolean;
            openshift_detected: boolean;
            openshift_challenged: boolean;
            instances_seen: number;
            runtime_seconds: number;
        };
    };
    responses: {
        /** @description The request is malformed or invalid; every problem is listed in `details`. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "bad_request",
                 *         "message": "The request is invalid.",
                 *         "details": [
                 *           {
                 *             "path": "body.provider",
                 *             "message": "must be a string"
                 *           }
                 *         ],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Missing or invalid credentials. */
        Unauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "unauthenticated",
                 *         "message": "authorization header required",
                 *         "details": [],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Authenticated, but the role does not allow this. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "forbidden",
                 *         "message": "this operation needs the admin role",
                 *         "details": [],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Unknown id, or a resource of another tenant. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "not_found",
                 *         "message": "image not found",
                 *         "details": [],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The request conflicts with the current state (e.g. a duplicate). */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "conflict",
                 *         "message": "image ami-00aabbcc is already registered for aws",
                 *         "details": [],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description A bug. Details are logged, never returned; the server keeps serving. */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "internal",
                 *         "message": "internal error",
                 *         "details": [],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Any other error (405, 413, 415, 429, 431 `headers_too_large`, 500, 503 `unavailable`, 504 `timeout`). */
        UnexpectedError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "unavailable",
                 *         "message": "instance-broker is not answering",
                 *         "details": [],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Invalid input (cloud-brain error shape). */
        InstanceBadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "bad_request",
                 *         "message": "The request is invalid.",
                 *         "details": [
                 *           {
                 *             "path": "body.image",
                 *             "message": "is required"
                 *           }
                 *         ],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       },
                 *       "errors": [
                 *         "body.image: is required"
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["LegacyInstanceErrorEnvelope"];
            };
        };
        /** @description Missing or invalid credentials (cloud-brain error shape). */
        InstanceUnauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "unauthenticated",
                 *         "message": "invalid token",
                 *         "details": [],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       },
                 *       "errors": [
                 *         "invalid token"
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["LegacyInstanceErrorEnvelope"];
            };
        };
        /** @description Unknown or malformed id, or another tenant's instance (cloud-brain error shape). */
        InstanceNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "not_found",
                 *         "message": "instance not found",
                 *         "details": [],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       },
                 *       "errors": [
                 *         "instance not found"
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["LegacyInstanceErrorEnvelope"];
            };
        };
        /** @description The `Idempotency-Key` was used with a different body, or an `i-…` id names several instances (cloud-brain error shape). */
        InstanceConflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "conflict",
                 *         "message": "Idempotency-Key was used with a different request",
                 *         "details": [],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       },
                 *       "errors": [
                 *         "Idempotency-Key was used with a different request"
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["LegacyInstanceErrorEnvelope"];
            };
        };
        /** @description Well-formed but refers to something unknown, e.g. a provider or an image (cloud-brain error shape). */
        InstanceUnprocessable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "unprocessable",
                 *         "message": "unknown provider \"azure\"",
                 *         "details": [
                 *           {
                 *             "path": "body.provider",
                 *             "message": "unknown provider \"azure\""
                 *           }
                 *         ],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       },
                 *       "errors": [
                 *         "unknown provider \"azure\""
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["LegacyInstanceErrorEnvelope"];
            };
        };
        /** @description The tenant's instance quota has no room for it (cloud-brain error shape). */
        InstanceQuotaExceeded: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "quota_exceeded",
                 *         "message": "instances quota exceeded: 100 of 100 in use, 1 requested",
                 *         "details": [
                 *           {
                 *             "path": "quota.instances",
                 *             "message": "instances quota exceeded: 100 of 100 in use, 1 requested",
                 *             "quota": {
                 *               "name": "instances",
                 *               "limit": 100,
                 *               "used": 100,
                 *               "requested": 1
                 *             }
                 *           }
                 *         ],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       },
                 *       "errors": [
                 *         "quota.instances: instances quota exceeded: 100 of 100 in use, 1 requested"
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["LegacyInstanceErrorEnvelope"];
            };
        };
        /** @description The role does not allow this (`forbidden`), or the tenant's quota named in the detail has no room for it (`quota_exceeded`). */
        ForbiddenOrQuotaExceeded: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The tenant's quota named in the detail has no room for it; nothing was created. */
        QuotaExceeded: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "quota_exceeded",
                 *         "message": "apps quota exceeded: 10000 of 10000 in use, 1 requested",
                 *         "details": [
                 *           {
                 *             "path": "quota.apps",
                 *             "message": "apps quota exceeded: 10000 of 10000 in use, 1 requested",
                 *             "quota": {
                 *               "name": "apps",
                 *               "limit": 10000,
                 *               "used": 10000,
                 *               "requested": 1
                 *             }
                 *           }
                 *         ],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The instance's provider keeps no console (cloud-brain error shape). */
        InstanceConsoleUnavailable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "unprocessable",
                 *         "message": "provider aws keeps no console",
                 *         "details": [],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       },
                 *       "errors": [
                 *         "provider aws keeps no console"
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["LegacyInstanceErrorEnvelope"];
            };
        };
        /** @description The instance is terminated; the body is the instance itself, as cloud-brain answered. */
        InstanceGone: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Instance"];
            };
        };
        /** @description Any other error (cloud-brain error shape). */
        InstanceUnexpectedError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "unavailable",
                 *         "message": "instance-broker is not answering",
                 *         "details": [],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       },
                 *       "errors": [
                 *         "instance-broker is not answering"
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["LegacyInstanceErrorEnvelope"];
            };
        };
        /** @description Invalid input; every validation error is listed (pudding error shape). */
        BuildBadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "bad_request",
                 *         "message": "The request is invalid.",
                 *         "details": [
                 *           {
                 *             "path": "body.instance_builds.site",
                 *             "message": "empty \"site\" param"
                 *           },
                 *           {
                 *             "path": "body.instance_builds.count",
                 *             "message": "count must be more than 0"
                 *           }
                 *         ],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       },
                 *       "errors": [
                 *         {
                 *           "details": "empty \"site\" param"
                 *         },
                 *         {
                 *           "details": "count must be more than 0"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["PuddingErrorEnvelope"];
            };
        };
        /** @description Missing or invalid credentials (pudding error shape). */
        BuildUnauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "unauthenticated",
                 *         "message": "invalid credentials",
                 *         "details": [],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       },
                 *       "errors": [
                 *         {
                 *           "details": "invalid credentials"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["PuddingErrorEnvelope"];
            };
        };
        /** @description Unknown build, another tenant's build, or another build's init-script credentials (pudding error shape). */
        BuildNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "not_found",
                 *         "message": "instance build not found",
                 *         "details": [],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       },
                 *       "errors": [
                 *         {
                 *           "details": "instance build not found"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["PuddingErrorEnvelope"];
            };
        };
        /** @description Well-formed but unresolvable, e.g. an image its provider does not have (pudding error shape). */
        BuildUnprocessable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "unprocessable",
                 *         "message": "no active image for provider aws and role worker",
                 *         "details": [
                 *           {
                 *             "path": "body.instance_builds.image",
                 *             "message": "no active image for provider aws and role worker"
                 *           }
                 *         ],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       },
                 *       "errors": [
                 *         {
                 *           "details": "no active image for provider aws and role worker"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["PuddingErrorEnvelope"];
            };
        };
        /** @description The tenant's instance quota has no room for the whole build; nothing was created (pudding error shape). */
        BuildQuotaExceeded: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "quota_exceeded",
                 *         "message": "instances quota exceeded: 60 of 100 in use, 50 requested",
                 *         "details": [
                 *           {
                 *             "path": "quota.instances",
                 *             "message": "instances quota exceeded: 60 of 100 in use, 50 requested",
                 *             "quota": {
                 *               "name": "instances",
                 *               "limit": 100,
                 *               "used": 60,
                 *               "requested": 50
                 *             }
                 *           }
                 *         ],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       },
                 *       "errors": [
                 *         {
                 *           "details": "instances quota exceeded: 60 of 100 in use, 50 requested"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["PuddingErrorEnvelope"];
            };
        };
        /** @description Any other error (pudding error shape). */
        BuildUnexpectedError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "unavailable",
                 *         "message": "instance-broker is not answering",
                 *         "details": [],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       },
                 *       "errors": [
                 *         {
                 *           "details": "instance-broker is not answering"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["PuddingErrorEnvelope"];
            };
        };
        /** @description The district. */
        DistrictAnswer: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    district: components["schemas"]["District"];
                };
            };
        };
        /** @description The app. */
        AppAnswer: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    app: components["schemas"]["App"];
                };
            };
        };
        /** @description The apps. */
        AppListAnswer: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    apps: components["schemas"]["App"][];
                };
            };
        };
        /** @description The district's platform cannot run the image (a `local` district runs only its operator's catalog). */
        AppImageUnprocessable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "unprocessable",
                 *         "message": "unknown image \"nginx\" for provider \"local\" (the local catalog's runnable images: hello-web)",
                 *         "details": [
                 *           {
                 *             "path": "body.image_name",
                 *             "message": "unknown image \"nginx\" for provider \"local\" (the local catalog's runnable images: hello-web)"
                 *           }
                 *         ],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The one-off task. */
        OneoffAnswer: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    oneoff: components["schemas"]["Oneoff"];
                };
            };
        };
        /** @description The release. */
        ReleaseAnswer: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    release: components["schemas"]["Release"];
                };
            };
        };
        /** @description The account. */
        CloudAccount: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["CloudAccount"];
            };
        };
        /** @description The image. */
        MachineImage: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["MachineImage"];
            };
        };
        /** @description Invalid input: the envelope, and DRF's `{"<field>": ["message"]}` beside it. */
        UsageBadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "bad_request",
                 *         "message": "The request is invalid.",
                 *         "details": [
                 *           {
                 *             "path": "query.start",
                 *             "message": "This field is required."
                 *           }
                 *         ],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       },
                 *       "start": [
                 *         "This field is required."
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["DrfFieldErrorEnvelope"];
            };
        };
        /** @description Missing or invalid credentials. */
        UsageUnauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["DrfDetailErrorEnvelope"];
            };
        };
        /** @description Unknown id, or another tenant's. */
        UsageNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "not_found",
                 *         "message": "Not found.",
                 *         "details": [],
                 *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                 *       },
                 *       "detail": "Not found."
                 *     }
                 */
                "application/json": components["schemas"]["DrfDetailErrorEnvelope"];
            };
        };
        /** @description Any other error, with DRF's `detail`. */
        UsageError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["DrfDetailErrorEnvelope"];
            };
        };
    };
    parameters: {
        /**
         * @description A client-chosen key (1–255 printable characters) that makes retries of this request safe.
         * @example 3f6c9b1e-create-worker-1
         */
        IdempotencyKey: string;
        /** @description Page size. */
        Limit: number;
        /** @description The `next_cursor` of the previous page. */
        Cursor: string;
        /**
         * @description The instance's uuid. Pudding's callers name instances by EC2 id, and hubot-pudding keeps 8 characters after
         *     the `i-` it adds, so `i-<uuid>`, `i-<first 8 hex digits of the uuid>` (the end of its pudding `name`) and the
         *     provider's own id (`upstream_id`, e.g. EC2's `i-0abc…`) name it too.
         * @example 0d654ef4-75b9-49a6-9f90-f9b1ae3501fc
         */
        InstanceId: string;
        /**
         * @description The instance build's uuid.
         * @example 5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01
         */
        BuildId: string;
        /**
         * @description The image's Overcast id (not the provider's image reference).
         * @example 8d3e2f10-1b2c-4d5e-8f90-a1b2c3d4e5f6
         */
        ImageId: string;
        /**
         * @description The token's id (the part before `-`).
         * @example 12
         */
        TokenId: string;
        /**
         * @description The district's name.
         * @example default
         */
        DistrictName: string;
        /**
         * @description The app's name.
         * @example nginx
         */
        AppName: string;
        /**
         * @description The release's version number.
         * @example 3
         */
        ReleaseVersion: number;
        /**
         * @description The datacenter's or deployment's uuid.
         * @example 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c
         */
        RegistryId: string;
        /** @description An integer id; anything else answers 404. */
        UsageId: string;
        UsageLimit: number;
        UsageOffset: number;
        /** @description Inclusive (ISO 8601). */
        ReportStart: string;
        /** @description Exclusive (ISO 8601). */
        ReportEnd: string;
        /** @description Words split on spaces; accounts whose name contains any of them, ignoring case. */
        ReportNamePattern: string;
        ReportAccountId: number;
    };
    requestBodies: {
        /** @description An overcast.yml (at most 1 MB). YAML as `application/yaml` or `text/yaml` (or with no label, or any other), or the same document as JSON (`application/json`). Includes are resolved by the registry: relative ones cannot be (the file has no directory there), https ones only from public addresses. */
        DeploymentFile: {
            content: {
                /**
                 * @example version: "0.1"
                 *     services:
                 *       web:
                 *         image: hello
                 *         expose:
                 *           - port: 80
                 *             to: [{ global: true }]
                 *     deployment:
                 *       datacenters:
                 *         local:
                 *           region: local
                 *           profiles:
                 *             small:
                 *               qos: { cpu: 1, memory: 256MB, lifetime: medium }
                 *       services:
                 *         web:
                 *           local: { profile: small, nodes: 2 }
                 */
                "application/yaml": string;
                "text/yaml": string;
                "application/json": Record<string, never>;
            };
        };
        UpdateCloudAccount: {
            content: {
                /**
                 * @example {
                 *       "name": "staging"
                 *     }
                 */
                "application/json": {
                    name?: string | null;
                    account_arn?: string;
                    resourcetype?: string;
                };
            };
        };
        ChallengeMachineImage: {
            content: {
                /**
                 * @example {
                 *       "rhel_challenged": true
                 *     }
                 */
                "application/json": {
                    rhel_challenged?: boolean;
                    openshift_challenged?: boolean;
                };
            };
        };
    };
    headers: {
        /**
         * @description The accepted schemes.
         * @example token, Bearer, Basic realm="overcast"
         */
        WWWAuthenticate: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is alive. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ok"
                     *     }
                     */
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready to take traffic. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ready",
                     *       "checks": {
                     *         "database": true,
                     *         "broker": true
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description Not ready; the body names the failing checks. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "not_ready",
                     *       "checks": {
                     *         "database": true,
                     *         "broker": false
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Metrics in the Prometheus text exposition format. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example # HELP http_requests_total Requests answered.
                     *     # TYPE http_requests_total counter
                     *     http_requests_total{method="GET",route="/instances",status="200"} 42
                     */
                    "text/plain": string;
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The reference page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    getDocsScript: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The script. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/javascript": string;
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description A GitHub personal access or OAuth token of the user logging in.
                 * @example ghp_16C7e42F292c6912E7710c838347Ae178B4a
                 */
                "X-GitHub-Token": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Logged in. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "login": "octocat",
                     *       "token": "7-6f1c2a9e0d4b4c8f9a7e3d2c1b0a9f8e"
                     *     }
                     */
                    "application/json": components["schemas"]["LoginResult"];
                };
            };
            401: components["responses"]["Unauthorized"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    listTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Tokens, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "tokens": [
                     *         {
                     *           "id": "12",
                     *           "description": "deploy bot",
                     *           "role": "developer",
                     *           "tenant_id": "default",
                     *           "created_at": "2026-11-22T10:00:00.000Z",
                     *           "last_used_at": "2026-11-22T10:05:00.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["TokenList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "description": "deploy bot",
                 *       "role": "developer"
                 *     }
                 */
                "application/json": components["schemas"]["CreateTokenRequest"];
            };
        };
        responses: {
            /** @description The new token, with its secret. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "12",
                     *       "token": "12-b180349faf82840b43ebf27e730f894f",
                     *       "description": "deploy bot",
                     *       "role": "developer",
                     *       "tenant_id": "default",
                     *       "created_at": "2026-11-22T10:00:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["CreatedToken"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The token's id (the part before `-`).
                 * @example 12
                 */
                id: components["parameters"]["TokenId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    getStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The status of each service. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "degraded",
                     *       "services": [
                     *         {
                     *           "service": "gateway-api",
                     *           "status": "up",
                     *           "latency_ms": 0,
                     *           "checks": {
                     *             "database": true
                     *           }
                     *         },
                     *         {
                     *           "service": "instance-broker",
                     *           "status": "up",
                     *           "latency_ms": 4,
                     *           "checks": {
                     *             "database": true,
                     *             "broker": true
                     *           }
                     *         },
                     *         {
                     *           "service": "registry",
                     *           "status": "down"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["PlatformStatus"];
                };
            };
            401: components["responses"]["Unauthorized"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    getGreeting: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Always `ohai` and a newline. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example ohai */
                    "text/plain": "ohai\n";
                };
            };
        };
    };
    shutdownServer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Shutting down. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    getDebugVars: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The figures. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "memstats": {
                     *         "rss": 98304000,
                     *         "heapTotal": 52428800,
                     *         "heapUsed": 41943040,
                     *         "external": 2097152,
                     *         "arrayBuffers": 524288
                     *       },
                     *       "uptime_seconds": 3600.5,
                     *       "runtime": "node v24.11.1"
                     *     }
                     */
                    "application/json": components["schemas"]["DebugVars"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    triggerKaboom: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["InternalError"];
        };
    };
    listInstances: {
        parameters: {
            query?: {
                /** @example staging */
                env?: string;
                /** @example org */
                site?: string;
                /** @example worker */
                role?: string;
                /** @example docker */
                queue?: string;
                /** @example gce */
                provider?: string;
                /** @description Only instances in this state; without it, every state but `terminated`. */
                state?: components["schemas"]["InstanceState"];
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of instances. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "instances": [
                     *         {
                     *           "id": "0d654ef4-75b9-49a6-9f90-f9b1ae3501fc",
                     *           "provider": "gce",
                     *           "image": "image-2016-01-01",
                     *           "instance_type": "standard",
                     *           "state": "running",
                     *           "ip_address": "203.0.113.175",
                     *           "upstream_id": "testing-gce-0d654ef4-75b9-49a6-9f90-f9b1ae3501fc",
                     *           "error_reason": null,
                     *           "public_ssh_key": null,
                     *           "env": "staging",
                     *           "site": "org",
                     *           "role": "worker",
                     *           "queue": "docker",
                     *           "instance_build_id": null,
                     *           "created_at": "2026-11-22T10:00:00.000Z",
                     *           "updated_at": "2026-11-22T10:01:30.000Z",
                     *           "name": "worker-org-staging-docker-0d654ef4",
                     *           "image_id": "image-2016-01-01",
                     *           "ip": "203.0.113.175",
                     *           "private_ip": "203.0.113.175",
                     *           "launch_time": "2026-11-22T10:00:00.000Z"
                     *         }
                     *       ],
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": components["schemas"]["InstanceList"];
                };
            };
            400: components["responses"]["InstanceBadRequest"];
            401: components["responses"]["InstanceUnauthorized"];
            default: components["responses"]["InstanceUnexpectedError"];
        };
    };
    createInstance: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description A client-chosen key (1–255 printable characters) that makes retries of this request safe.
                 * @example 3f6c9b1e-create-worker-1
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "provider": "gce",
                 *       "image": "image-2016-01-01",
                 *       "instance_type": "standard",
                 *       "public_ssh_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL8f example@host",
                 *       "env": "staging",
                 *       "site": "org"
                 *     }
                 */
                "application/json": components["schemas"]["CreateInstanceRequest"];
            };
        };
        responses: {
            /**
             * @description Created; `Location` points at the instance. 200, not 201: cloud-brain's server answered 200 and its
             *     real client (travis-ci/worker's cloudbrain backend) accepts nothing else.
             */
            200: {
                headers: {
                    /**
                     * @description URL of the new instance.
                     * @example /instances/0d654ef4-75b9-49a6-9f90-f9b1ae3501fc
                     */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Instance"];
                };
            };
            400: components["responses"]["InstanceBadRequest"];
            401: components["responses"]["InstanceUnauthorized"];
            403: components["responses"]["InstanceQuotaExceeded"];
            409: components["responses"]["InstanceConflict"];
            422: components["responses"]["InstanceUnprocessable"];
            default: components["responses"]["InstanceUnexpectedError"];
        };
    };
    getInstance: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The instance's uuid. Pudding's callers name instances by EC2 id, and hubot-pudding keeps 8 characters after
                 *     the `i-` it adds, so `i-<uuid>`, `i-<first 8 hex digits of the uuid>` (the end of its pudding `name`) and the
                 *     provider's own id (`upstream_id`, e.g. EC2's `i-0abc…`) name it too.
                 * @example 0d654ef4-75b9-49a6-9f90-f9b1ae3501fc
                 */
                id: components["parameters"]["InstanceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The instance; for an `i-…` id, pudding's list of the instances it names. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Instance"] | components["schemas"]["PuddingInstanceList"];
                };
            };
            401: components["responses"]["InstanceUnauthorized"];
            404: components["responses"]["InstanceNotFound"];
            410: components["responses"]["InstanceGone"];
            default: components["responses"]["InstanceUnexpectedError"];
        };
    };
    deleteInstance: {
        parameters: {
            query?: {
                /**
                 * @description Where the termination notice goes (else the configured default), as hubot-pudding sends it.
                 * @example ops
                 */
                "slack-channel"?: string;
            };
            header?: never;
            path: {
                /**
                 * @description The instance's uuid. Pudding's callers name instances by EC2 id, and hubot-pudding keeps 8 characters after
                 *     the `i-` it adds, so `i-<uuid>`, `i-<first 8 hex digits of the uuid>` (the end of its pudding `name`) and the
                 *     provider's own id (`upstream_id`, e.g. EC2's `i-0abc…`) name it too.
                 * @example 0d654ef4-75b9-49a6-9f90-f9b1ae3501fc
                 */
                id: components["parameters"]["InstanceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Termination accepted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Instance"];
                };
            };
            /** @description Termination accepted, for an `i-…` id (pudding's acknowledgement). */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "ok": "working on that"
                     *     }
                     */
                    "application/json": components["schemas"]["PuddingTerminationAck"];
                };
            };
            401: components["responses"]["InstanceUnauthorized"];
            404: components["responses"]["InstanceNotFound"];
            409: components["responses"]["InstanceConflict"];
            default: components["responses"]["InstanceUnexpectedError"];
        };
    };
    getInstanceConsole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The instance's uuid. Pudding's callers name instances by EC2 id, and hubot-pudding keeps 8 characters after
                 *     the `i-` it adds, so `i-<uuid>`, `i-<first 8 hex digits of the uuid>` (the end of its pudding `name`) and the
                 *     provider's own id (`upstream_id`, e.g. EC2's `i-0abc…`) name it too.
                 * @example 0d654ef4-75b9-49a6-9f90-f9b1ae3501fc
                 */
                id: components["parameters"]["InstanceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The console text, raw. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example boot-agent: instance 0b8f6f4e-4d7e-4f21-9d55-3f3c2b1a9e10 at 127.77.0.2
                     *     boot-agent: running init script
                     *     booting worker for org/staging/docker
                     */
                    "text/plain; charset=utf-8": string;
                };
            };
            401: components["responses"]["InstanceUnauthorized"];
            404: components["responses"]["InstanceNotFound"];
            422: components["responses"]["InstanceConsoleUnavailable"];
            default: components["responses"]["InstanceUnexpectedError"];
        };
    };
    createInstanceBuild: {
        parameters: {
            query?: {
                /**
                 * @description Overrides `slack_channel` of the body.
                 * @example ops
                 */
                "slack-channel"?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "instance_builds": {
                 *         "site": "org",
                 *         "env": "staging",
                 *         "instance_type": "standard",
                 *         "count": 4,
                 *         "queue": "docker",
                 *         "role": "worker"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["CreateInstanceBuildRequest"];
            };
        };
        responses: {
            /** @description Accepted; the build is pending. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "instance_builds": [
                     *         {
                     *           "id": "5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01",
                     *           "state": "pending",
                     *           "site": "org",
                     *           "env": "staging",
                     *           "role": "worker",
                     *           "queue": "docker",
                     *           "instance_type": "standard",
                     *           "count": 4,
                     *           "provider": "aws",
                     *           "image": null,
                     *           "slack_channel": null,
                     *           "subnet_id": null,
                     *           "security_group_id": null,
                     *           "boot_instance": true,
                     *           "instance_ids": [],
                     *           "created_at": "2026-11-22T10:00:00.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["InstanceBuildList"];
                };
            };
            400: components["responses"]["BuildBadRequest"];
            401: components["responses"]["BuildUnauthorized"];
            403: components["responses"]["BuildQuotaExceeded"];
            422: components["responses"]["BuildUnprocessable"];
            default: components["responses"]["BuildUnexpectedError"];
        };
    };
    getInstanceBuild: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The instance build's uuid.
                 * @example 5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01
                 */
                id: components["parameters"]["BuildId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The build, in pudding's list form. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "instance_builds": [
                     *         {
                     *           "id": "5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01",
                     *           "state": "pending",
                     *           "site": "org",
                     *           "env": "staging",
                     *           "role": "worker",
                     *           "queue": "docker",
                     *           "instance_type": "standard",
                     *           "count": 4,
                     *           "provider": "aws",
                     *           "image": null,
                     *           "slack_channel": null,
                     *           "subnet_id": null,
                     *           "security_group_id": null,
                     *           "boot_instance": true,
                     *           "instance_ids": [],
                     *           "created_at": "2026-11-22T10:00:00.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["InstanceBuildList"];
                };
            };
            401: components["responses"]["BuildUnauthorized"];
            404: components["responses"]["BuildNotFound"];
            default: components["responses"]["BuildUnexpectedError"];
        };
    };
    updateInstanceBuild: {
        parameters: {
            query?: {
                /** @example finished */
                state?: string;
                /** @example i-abcd1234 */
                "instance-id"?: string;
                /** @example general */
                "slack-channel"?: string;
            };
            header?: never;
            path: {
                /**
                 * @description The instance build's uuid.
                 * @example 5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01
                 */
                id: components["parameters"]["BuildId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "state": "finished",
                 *       "instance-id": "i-abcd1234",
                 *       "slack-channel": "general"
                 *     }
                 */
                "application/x-www-form-urlencoded": components["schemas"]["UpdateInstanceBuildForm"];
            };
        };
        responses: {
            /** @description `{"sure":"why not"}` when finished, `{"no":"op"}` otherwise. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BuildFinishedAck"] | components["schemas"]["BuildNoOpAck"];
                };
            };
            401: components["responses"]["BuildUnauthorized"];
            404: components["responses"]["BuildNotFound"];
            default: components["responses"]["BuildUnexpectedError"];
        };
    };
    getInitScript: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example 5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01 */
                build_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The script. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example #!/usr/bin/env bash
                     *     set -o errexit
                     *     echo "booting worker for org/staging/docker"
                     */
                    "text/x-shellscript; charset=utf-8": string;
                };
            };
            401: components["responses"]["BuildUnauthorized"];
            404: components["responses"]["BuildNotFound"];
            default: components["responses"]["BuildUnexpectedError"];
        };
    };
    notifyInstanceLaunch: {
        parameters: {
            query?: {
                /** @example ops */
                "slack-channel"?: string;
                /**
                 * @description Where in the init script the call was made (`cloud-init-$LINENO`); kept for pudding's scripts, unused.
                 * @example cloud-init-18
                 */
                l?: string;
            };
            header?: never;
            path: {
                /** @example 5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01 */
                build_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "instance_id": "i-abcd1234"
                 *     }
                 */
                "application/json": components["schemas"]["InstanceLifecycleReport"];
            };
        };
        responses: {
            /** @description Recorded; pudding's acknowledgement, naming the instance. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "yay": "i-abcd1234"
                     *     }
                     */
                    "application/json": components["schemas"]["InstanceLifecycleAck"];
                };
            };
            400: components["responses"]["BuildBadRequest"];
            401: components["responses"]["BuildUnauthorized"];
            404: components["responses"]["BuildNotFound"];
            default: components["responses"]["BuildUnexpectedError"];
        };
    };
    notifyInstanceTermination: {
        parameters: {
            query?: {
                /** @example ops */
                "slack-channel"?: string;
                /**
                 * @description Where in the init script the call was made (`cloud-init-$LINENO`); kept for pudding's scripts, unused.
                 * @example cloud-init-18
                 */
                l?: string;
            };
            header?: never;
            path: {
                /** @example 5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01 */
                build_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "instance_id": "i-abcd1234"
                 *     }
                 */
                "application/json": components["schemas"]["InstanceLifecycleReport"];
            };
        };
        responses: {
            /** @description Recorded; pudding's acknowledgement, naming the instance. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "yay": "i-abcd1234"
                     *     }
                     */
                    "application/json": components["schemas"]["InstanceLifecycleAck"];
                };
            };
            400: components["responses"]["BuildBadRequest"];
            401: components["responses"]["BuildUnauthorized"];
            404: components["responses"]["BuildNotFound"];
            default: components["responses"]["BuildUnexpectedError"];
        };
    };
    notifyInstanceHeartbeat: {
        parameters: {
            query?: {
                /** @example i-abcd1234 */
                "instance-id"?: string;
            };
            header?: never;
            path: {
                /** @example 5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01 */
                build_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "instance-id": "i-abcd1234"
                 *     }
                 */
                "application/x-www-form-urlencoded": components["schemas"]["InstanceHeartbeatForm"];
            };
        };
        responses: {
            /** @description The instance (pudding's bare object, not a list) and what it should be. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InstanceHeartbeat"];
                };
            };
            400: components["responses"]["BuildBadRequest"];
            401: components["responses"]["BuildUnauthorized"];
            404: components["responses"]["BuildNotFound"];
            default: components["responses"]["BuildUnexpectedError"];
        };
    };
    listImages: {
        parameters: {
            query?: {
                active?: "true" | "false";
                /** @example worker */
                role?: string;
                /** @example aws */
                provider?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Images. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "images": [
                     *         {
                     *           "id": "8d3e2f10-1b2c-4d5e-8f90-a1b2c3d4e5f6",
                     *           "image_id": "ami-00aabbcc",
                     *           "provider": "aws",
                     *           "role": "worker",
                     *           "name": "worker-2026-11-22",
                     *           "active": true,
                     *           "state": "available",
                     *           "created_at": "2026-11-22T09:00:00.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ImageList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    registerImage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "provider": "aws",
                 *       "image_id": "ami-00aabbcc",
                 *       "role": "worker",
                 *       "name": "worker-2026-11-22",
                 *       "active": true
                 *     }
                 */
                "application/json": components["schemas"]["RegisterImageRequest"];
            };
        };
        responses: {
            /** @description Registered. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Image"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    activateImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The image's Overcast id (not the provider's image reference).
                 * @example 8d3e2f10-1b2c-4d5e-8f90-a1b2c3d4e5f6
                 */
                id: components["parameters"]["ImageId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The activated image. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Image"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    listQuotas: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Each quota with its limit and use. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "quotas": [
                     *         {
                     *           "name": "instances",
                     *           "limit": 100,
                     *           "used": 37
                     *         },
                     *         {
                     *           "name": "districts",
                     *           "limit": 100,
                     *           "used": 2
                     *         },
                     *         {
                     *           "name": "apps",
                     *           "limit": 10000,
                     *           "used": 14
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["QuotaList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    listDistricts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant's districts. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        districts: components["schemas"]["District"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    createDistrict: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "default",
                 *       "provider": "local"
                 *     }
                 */
                "application/json": components["schemas"]["DistrictCreate"];
            };
        };
        responses: {
            200: components["responses"]["DistrictAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ForbiddenOrQuotaExceeded"];
            409: components["responses"]["Conflict"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    getDistrict: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The district's name.
                 * @example default
                 */
                district: components["parameters"]["DistrictName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["DistrictAnswer"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    deleteDistrict: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The district's name.
                 * @example default
                 */
                district: components["parameters"]["DistrictName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    updateDistrict: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The district's name.
                 * @example default
                 */
                district: components["parameters"]["DistrictName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "s3_bucket_name": "bcn-default"
                 *     }
                 */
                "application/json": components["schemas"]["DistrictUpdate"];
            };
        };
        responses: {
            200: components["responses"]["DistrictAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    createDistrictInstances: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The district's name.
                 * @example default
                 */
                district: components["parameters"]["DistrictName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "count": 1,
                 *       "instance_type": "t2.micro"
                 *     }
                 */
                "application/json": {
                    count: number;
                    instance_type?: string;
                };
            };
        };
        responses: {
            /** @description Asked for. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    listDistrictApps: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The district's name.
                 * @example default
                 */
                district: components["parameters"]["DistrictName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["AppListAnswer"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    createApp: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The district's name.
                 * @example default
                 */
                district: components["parameters"]["DistrictName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "nginx",
                 *       "image_name": "nginx",
                 *       "image_tag": "latest",
                 *       "before_deploy": "echo hello",
                 *       "env_vars": {
                 *         "RAILS_ENV": "production"
                 *       },
                 *       "services": [
                 *         {
                 *           "name": "web",
                 *           "public": true,
                 *           "cpu": 128,
                 *           "memory": 256,
                 *           "port_mappings": [
                 *             {
                 *               "lb_port": 80,
                 *               "container_port": 80
                 *             }
                 *           ]
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["AppCreate"];
            };
        };
        responses: {
            200: components["responses"]["AppAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["QuotaExceeded"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["AppImageUnprocessable"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    listApps: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["AppListAnswer"];
            401: components["responses"]["Unauthorized"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    getApp: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["AppAnswer"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    deleteApp: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    updateApp: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "image_tag": "v3",
                 *       "before_deploy": null,
                 *       "services": [
                 *         {
                 *           "name": "web",
                 *           "command": "true"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["AppUpdate"];
            };
        };
        responses: {
            200: components["responses"]["AppAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["AppImageUnprocessable"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    updateAppEnvVars: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "env_vars": {
                 *         "RAILS_ENV": "production",
                 *         "SECRET_KEY_BASE": "abcdef"
                 *       }
                 *     }
                 */
                "application/json": {
                    env_vars: components["schemas"]["EnvVars"];
                };
            };
        };
        responses: {
            200: components["responses"]["AppAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["AppImageUnprocessable"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    deleteAppEnvVars: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "env_keys": [
                 *         "RAILS_ENV"
                 *       ]
                 *     }
                 */
                "application/json": {
                    env_keys: string[];
                };
            };
        };
        responses: {
            200: components["responses"]["AppAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    updateAppServiceScale: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
                /** @description The service's name. */
                service: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "scale": 3
                 *     }
                 */
                "application/json": {
                    scale: number;
                };
            };
        };
        responses: {
            /** @description The service. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        service: components["schemas"]["AppService"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    createAppOneoff: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "command": "rake db:migrate",
                 *       "image_tag": "v100"
                 *     }
                 */
                "application/json": {
                    command: string;
                    image_tag?: string;
                    env_vars?: components["schemas"]["EnvVars"];
                    sync?: boolean;
                };
            };
        };
        responses: {
            200: components["responses"]["OneoffAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    getOneoff: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The one-off's uuid. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["OneoffAnswer"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    listAppReleases: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The releases. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        releases: components["schemas"]["Release"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    getAppRelease: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
                /**
                 * @description The release's version number.
                 * @example 3
                 */
                version: components["parameters"]["ReleaseVersion"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ReleaseAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    createAppRollback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
                /**
                 * @description The release's version number.
                 * @example 3
                 */
                version: components["parameters"]["ReleaseVersion"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ReleaseAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["AppImageUnprocessable"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    listAppEvents: {
        parameters: {
            query?: {
                /** @description At most this many (100). */
                limit?: number;
            };
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: components["schemas"]["DeployEvent"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    getAppDrift: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The app's name.
                 * @example nginx
                 */
                app: components["parameters"]["AppName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The differences. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        release: number | null;
                        drift: {
                            /** @example services.web.desired_count */
                            path: string;
                            expected?: unknown;
                            actual?: unknown;
                        }[];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    createAutoscalingGroupBuild: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "autoscaling_group_builds": {
                 *         "site": "com",
                 *         "env": "prod",
                 *         "queue": "fancy",
                 *         "role": "worky",
                 *         "instance_id": "i-abcd1234",
                 *         "role_arn": "arn:aws:iam::123456789012:role/pudding-lifecycle",
                 *         "topic_arn": "arn:aws:sns:us-east-1:123456789012:pudding-lifecycle",
                 *         "min_size": 1,
                 *         "max_size": 10,
                 *         "desired_capacity": 1,
                 *         "default_cooldown": 1200,
                 *         "instance_type": "c3.4xlarge"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["CreateAutoscalingGroupBuildRequest"];
            };
        };
        responses: {
            /** @description Accepted; the build is pending. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "autoscaling_group_builds": [
                     *         {
                     *           "id": "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
                     *           "name": "worky-com-prod-fancy-abcd1234-1764892800",
                     *           "instance_id": "i-abcd1234",
                     *           "overcast_instance_id": "5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01",
                     *           "provider": "aws",
                     *           "role_arn": "arn:aws:iam::123456789012:role/pudding-lifecycle",
                     *           "topic_arn": "arn:aws:sns:us-east-1:123456789012:pudding-lifecycle",
                     *           "name_template": "{{.Role}}-{{.Site}}-{{.Env}}-{{.Queue}}-{{.InstanceIDWithoutPrefix}}-{{.Timestamp}}",
                     *           "queue": "fancy",
                     *           "env": "prod",
                     *           "site": "com",
                     *           "role": "worky",
                     *           "min_size": 1,
                     *           "max_size": 10,
                     *           "desired_capacity": 1,
                     *           "default_cooldown": 1200,
                     *           "instance_type": "c3.4xlarge",
                     *           "slack_channel": null,
                     *           "timestamp": 1764892800,
                     *           "scale_out_cooldown": 300,
                     *           "scale_out_adjustment": 1,
                     *           "scale_out_metric_name": "CPUUtilization",
                     *           "scale_out_metric_namespace": "AWS/EC2",
                     *           "scale_out_metric_statistic": "Average",
                     *           "scale_out_metric_period": 120,
                     *           "scale_out_metric_evaluation_periods": 2,
                     *           "scale_out_metric_threshold": 90,
                     *           "scale_out_metric_comparison_operator": "GreaterThanOrEqualToThreshold",
                     *           "scale_in_cooldown": 300,
                     *           "scale_in_adjustment": -1,
                     *           "scale_in_metric_name": "CPUUtilization",
                     *           "scale_in_metric_namespace": "AWS/EC2",
                     *           "scale_in_metric_statistic": "Average",
                     *           "scale_in_metric_period": 120,
                     *           "scale_in_metric_evaluation_periods": 2,
                     *           "scale_in_metric_threshold": 10,
                     *           "scale_in_metric_comparison_operator": "LessThanThreshold",
                     *           "state": "pending",
                     *           "created_at": "2025-12-05T00:00:00.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["AutoscalingGroupBuildList"];
                };
            };
            400: components["responses"]["BuildBadRequest"];
            401: components["responses"]["BuildUnauthorized"];
            /** @description The name template renders the name of another build's group, of this tenant or of the same topic (pudding error shape): a group name names one build, so a retried step can take AWS's AlreadyExists as its own. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "conflict",
                     *         "message": "Another build already names the group \"workers\".",
                     *         "details": [
                     *           {
                     *             "path": "body.autoscaling_group_builds.name_template",
                     *             "message": "renders \"workers\", the group of another build of this tenant or topic"
                     *           }
                     *         ],
                     *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                     *       },
                     *       "errors": [
                     *         {
                     *           "details": "renders \"workers\"",
                     *           "the group of another build of this tenant or topic": null
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["PuddingErrorEnvelope"];
                };
            };
            422: components["responses"]["BuildUnprocessable"];
            default: components["responses"]["BuildUnexpectedError"];
        };
    };
    notifySnsMessage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "Type": "Notification",
                 *       "MessageId": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
                 *       "TopicArn": "arn:aws:sns:us-east-1:123456789012:pudding-lifecycle",
                 *       "Subject": "Auto Scaling:  Lifecycle action 'TERMINATING' for instance i-0abc123 in progress.",
                 *       "Message": "{\"AutoScalingGroupName\":\"worky-com-prod-fancy-abcd1234-1764892800\",\"LifecycleTransition\":\"autoscaling:EC2_INSTANCE_TERMINATING\",\"LifecycleActionToken\":\"c613620e-07e2-4ed2-a9e2-ef8258911ade\",\"EC2InstanceId\":\"i-0abc123\",\"LifecycleHookName\":\"worky-com-prod-fancy-abcd1234-1764892800-lch-terminating\"}",
                 *       "Timestamp": "2025-12-05T00:00:00.000Z",
                 *       "SignatureVersion": "1",
                 *       "Signature": "EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=",
                 *       "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem",
                 *       "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:pudding-lifecycle:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55"
                 *     }
                 */
                "application/json": components["schemas"]["SnsMessage"];
            };
        };
        responses: {
            /** @description Accepted; pudding's answer, the message itself. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "sns_messages": [
                     *         {
                     *           "Type": "SubscriptionConfirmation",
                     *           "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
                     *           "Token": "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736",
                     *           "TopicArn": "arn:aws:sns:us-east-1:123456789012:pudding-lifecycle",
                     *           "Message": "You have chosen to subscribe to the topic arn:aws:sns:us-east-1:123456789012:pudding-lifecycle.",
                     *           "SubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:123456789012:pudding-lifecycle&Token=2336412f37",
                     *           "Timestamp": "2025-12-05T00:00:00.000Z",
                     *           "SignatureVersion": "1",
                     *           "Signature": "EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=",
                     *           "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["SnsMessageList"];
                };
            };
            400: components["responses"]["BuildBadRequest"];
            /** @description The signature did not verify (pudding error shape); the message is not acted on. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "forbidden",
                     *         "message": "the SNS signature does not verify: Invalid Signature",
                     *         "details": [
                     *           {
                     *             "path": "body.Signature",
                     *             "message": "Invalid Signature"
                     *           }
                     *         ],
                     *         "request_id": "01JDQ3V8Q6C9J4M2X7ZB5N1K0A"
                     *       },
                     *       "errors": [
                     *         {
                     *           "details": "Invalid Signature"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["PuddingErrorEnvelope"];
                };
            };
            default: components["responses"]["BuildUnexpectedError"];
        };
    };
    registerAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "ops@example.com",
                 *       "public_key": "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…\n-----END PUBLIC KEY-----\n"
                 *     }
                 */
                "application/json": components["schemas"]["RegisterAccountRequest"];
            };
        };
        responses: {
            /** @description The account and its certificate. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegistryAccount"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    listDatacenters: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant's datacenters. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatacenterList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    registerDatacenter: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "local",
                 *       "region": "local",
                 *       "endpoint": "127.0.0.1:7443",
                 *       "public_key": "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…\n-----END PUBLIC KEY-----\n",
                 *       "profiles": [
                 *         {
                 *           "name": "standard",
                 *           "cpu": 2,
                 *           "memory_bytes": 4294967296,
                 *           "lifetime": "medium",
                 *           "price": 1,
                 *           "capacity": 10
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["RegisterDatacenterRequest"];
            };
        };
        responses: {
            /** @description The datacenter, its intermediate certificate and the CA bundle. */
            201: {
                headers: {
                    /** @description URL of the new datacenter. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisteredDatacenter"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            409: components["responses"]["Conflict"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    listMatchingDatacenters: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: components["requestBodies"]["DeploymentFile"];
        responses: {
            /** @description The matches per entry. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatacenterMatches"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    getDatacenter: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The datacenter's or deployment's uuid.
                 * @example 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c
                 */
                id: components["parameters"]["RegistryId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The datacenter. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Datacenter"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    deleteDatacenter: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The datacenter's or deployment's uuid.
                 * @example 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c
                 */
                id: components["parameters"]["RegistryId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    updateDatacenter: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The datacenter's or deployment's uuid.
                 * @example 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c
                 */
                id: components["parameters"]["RegistryId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "profiles": [
                 *         {
                 *           "name": "standard",
                 *           "cpu": 2,
                 *           "memory_bytes": 4294967296,
                 *           "lifetime": "medium",
                 *           "price": 0.8,
                 *           "capacity": 20
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["UpdateDatacenterRequest"];
            };
        };
        responses: {
            /** @description The datacenter after the change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Datacenter"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    validateDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: components["requestBodies"]["DeploymentFile"];
        responses: {
            /** @description The verdict. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "valid": false,
                     *       "errors": [
                     *         {
                     *           "source": "overcast.yml",
                     *           "path": "deployment.services.db.westcoast.profile",
                     *           "line": 41,
                     *           "column": 16,
                     *           "message": "unknown profile \"db-pool\" of datacenter \"westcoast\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["DeploymentVerdict"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    listDeployments: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant's deployments, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    createDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: components["requestBodies"]["DeploymentFile"];
        responses: {
            /** @description Created and placed; `Location` points at the deployment. */
            201: {
                headers: {
                    /** @description URL of the new deployment. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Deployment"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    getDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The datacenter's or deployment's uuid.
                 * @example 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c
                 */
                id: components["parameters"]["RegistryId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The deployment. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Deployment"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    updateDeployment: {
        parameters: {
            query?: {
                /** @description Answer the plan only. */
                dry_run?: boolean;
            };
            header?: never;
            path: {
                /**
                 * @description The datacenter's or deployment's uuid.
                 * @example 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c
                 */
                id: components["parameters"]["RegistryId"];
            };
            cookie?: never;
        };
        requestBody: components["requestBodies"]["DeploymentFile"];
        responses: {
            /** @description The plan, and the deployment after it unless a dry run. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentUpdate"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    deleteDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The datacenter's or deployment's uuid.
                 * @example 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c
                 */
                id: components["parameters"]["RegistryId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    listDeploymentEvents: {
        parameters: {
            query?: {
                /** @description Keep the stream open for new events (default) or end it after the events so far. */
                follow?: boolean;
            };
            header?: {
                /** @description Resume after this event. */
                "Last-Event-ID"?: number;
            };
            path: {
                /**
                 * @description The datacenter's or deployment's uuid.
                 * @example 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c
                 */
                id: components["parameters"]["RegistryId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event stream. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example id: 1
                     *     event: deploy.begin
                     *     data: {"seq":1,"type":"deploy.begin","data":{"version":1},"created_at":"2026-12-04T12:00:00.000Z"}
                     */
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    notifyDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The datacenter's or deployment's uuid.
                 * @example 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c
                 */
                id: components["parameters"]["RegistryId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "notification": "ops",
                 *       "event": "deploy.complete"
                 *     }
                 */
                "application/json": components["schemas"]["NotifyDeploymentRequest"];
            };
        };
        responses: {
            /** @description Which notifications the event went to. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotifyDeploymentResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            default: components["responses"]["UnexpectedError"];
        };
    };
    listCloudAccounts: {
        parameters: {
            query?: {
                limit?: components["parameters"]["UsageLimit"];
                offset?: components["parameters"]["UsageOffset"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the tenant's accounts, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsagePage"] & {
                        results?: components["schemas"]["CloudAccount"][];
                    };
                };
            };
            400: components["responses"]["UsageBadRequest"];
            401: components["responses"]["UsageUnauthorized"];
            default: components["responses"]["UsageError"];
        };
    };
    createCloudAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "resourcetype": "AwsAccount",
                 *       "account_arn": "arn:aws:iam::123456789012:role/cloudigrade",
                 *       "name": "production"
                 *     }
                 */
                "application/json": components["schemas"]["CreateCloudAccountRequest"];
            };
        };
        responses: {
            /** @description Registered; `Location` is its URL. */
            201: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CloudAccount"];
                };
            };
            400: components["responses"]["UsageBadRequest"];
            401: components["responses"]["UsageUnauthorized"];
            422: components["responses"]["UsageError"];
            default: components["responses"]["UsageError"];
        };
    };
    getCloudAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An integer id; anything else answers 404. */
                id: components["parameters"]["UsageId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["CloudAccount"];
            401: components["responses"]["UsageUnauthorized"];
            404: components["responses"]["UsageNotFound"];
            default: components["responses"]["UsageError"];
        };
    };
    updateCloudAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An integer id; anything else answers 404. */
                id: components["parameters"]["UsageId"];
            };
            cookie?: never;
        };
        requestBody: components["requestBodies"]["UpdateCloudAccount"];
        responses: {
            200: components["responses"]["CloudAccount"];
            400: components["responses"]["UsageBadRequest"];
            401: components["responses"]["UsageUnauthorized"];
            404: components["responses"]["UsageNotFound"];
            default: components["responses"]["UsageError"];
        };
    };
    updateCloudAccountPartially: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An integer id; anything else answers 404. */
                id: components["parameters"]["UsageId"];
            };
            cookie?: never;
        };
        requestBody: components["requestBodies"]["UpdateCloudAccount"];
        responses: {
            200: components["responses"]["CloudAccount"];
            400: components["responses"]["UsageBadRequest"];
            401: components["responses"]["UsageUnauthorized"];
            404: components["responses"]["UsageNotFound"];
            default: components["responses"]["UsageError"];
        };
    };
    createActivityLog: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An integer id; anything else answers 404. */
                id: components["parameters"]["UsageId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/octet-stream": unknown;
            };
        };
        responses: {
            /** @description What the file added. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "records": 120,
                     *       "relevant_records": 4,
                     *       "events_added": 4,
                     *       "instances_added": 2,
                     *       "images_added": 1
                     *     }
                     */
                    "application/json": components["schemas"]["ActivityLogIngestion"];
                };
            };
            400: components["responses"]["UsageBadRequest"];
            401: components["responses"]["UsageUnauthorized"];
            404: components["responses"]["UsageNotFound"];
            413: components["responses"]["UsageError"];
            default: components["responses"]["UsageError"];
        };
    };
    listTrackedInstances: {
        parameters: {
            query?: {
                limit?: components["parameters"]["UsageLimit"];
                offset?: components["parameters"]["UsageOffset"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of instances, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsagePage"] & {
                        results?: components["schemas"]["TrackedInstance"][];
                    };
                };
            };
            400: components["responses"]["UsageBadRequest"];
            401: components["responses"]["UsageUnauthorized"];
            default: components["responses"]["UsageError"];
        };
    };
    getTrackedInstance: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An integer id; anything else answers 404. */
                id: components["parameters"]["UsageId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The instance. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrackedInstance"];
                };
            };
            401: components["responses"]["UsageUnauthorized"];
            404: components["responses"]["UsageNotFound"];
            default: components["responses"]["UsageError"];
        };
    };
    listPowerEvents: {
        parameters: {
            query?: {
                limit?: components["parameters"]["UsageLimit"];
                offset?: components["parameters"]["UsageOffset"];
                /** @description Only this instance's events. */
                instance_id?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsagePage"] & {
                        results?: components["schemas"]["PowerEvent"][];
                    };
                };
            };
            400: components["responses"]["UsageBadRequest"];
            401: components["responses"]["UsageUnauthorized"];
            default: components["responses"]["UsageError"];
        };
    };
    getPowerEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An integer id; anything else answers 404. */
                id: components["parameters"]["UsageId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PowerEvent"];
                };
            };
            401: components["responses"]["UsageUnauthorized"];
            404: components["responses"]["UsageNotFound"];
            default: components["responses"]["UsageError"];
        };
    };
    listMachineImages: {
        parameters: {
            query?: {
                limit?: components["parameters"]["UsageLimit"];
                offset?: components["parameters"]["UsageOffset"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of images, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsagePage"] & {
                        results?: components["schemas"]["MachineImage"][];
                    };
                };
            };
            400: components["responses"]["UsageBadRequest"];
            401: components["responses"]["UsageUnauthorized"];
            default: components["responses"]["UsageError"];
        };
    };
    getMachineImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An integer id; anything else answers 404. */
                id: components["parameters"]["UsageId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["MachineImage"];
            401: components["responses"]["UsageUnauthorized"];
            404: components["responses"]["UsageNotFound"];
            default: components["responses"]["UsageError"];
        };
    };
    updateMachineImageChallenges: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An integer id; anything else answers 404. */
                id: components["parameters"]["UsageId"];
            };
            cookie?: never;
        };
        requestBody: components["requestBodies"]["ChallengeMachineImage"];
        responses: {
            200: components["responses"]["MachineImage"];
            400: components["responses"]["UsageBadRequest"];
            401: components["responses"]["UsageUnauthorized"];
            404: components["responses"]["UsageNotFound"];
            default: components["responses"]["UsageError"];
        };
    };
    updateMachineImageChallengesPartially: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An integer id; anything else answers 404. */
                id: components["parameters"]["UsageId"];
            };
            cookie?: never;
        };
        requestBody: components["requestBodies"]["ChallengeMachineImage"];
        responses: {
            200: components["responses"]["MachineImage"];
            400: components["responses"]["UsageBadRequest"];
            401: components["responses"]["UsageUnauthorized"];
            404: components["responses"]["UsageNotFound"];
            default: components["responses"]["UsageError"];
        };
    };
    inspectMachineImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An integer id; anything else answers 404. */
                id: components["parameters"]["UsageId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/octet-stream": unknown;
            };
        };
        responses: {
            200: components["responses"]["MachineImage"];
            400: components["responses"]["UsageBadRequest"];
            401: components["responses"]["UsageUnauthorized"];
            404: components["responses"]["UsageNotFound"];
            413: components["responses"]["UsageError"];
            422: components["responses"]["UsageError"];
            default: components["responses"]["UsageError"];
        };
    };
    getUsageSysconfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description cloudigrade's `sysconfig`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "aws_account_id": "123456789012"
                     *     }
                     */
                    "application/json": {
                        aws_account_id: string | null;
                    };
                };
            };
            401: components["responses"]["UsageUnauthorized"];
            default: components["responses"]["UsageError"];
        };
    };
    getDailyUsageReport: {
        parameters: {
            query: {
                /** @description Inclusive (ISO 8601). */
                start: components["parameters"]["ReportStart"];
                /** @description Exclusive (ISO 8601). */
                end: components["parameters"]["ReportEnd"];
                /** @description Words split on spaces; accounts whose name contains any of them, ignoring case. */
                name_pattern?: components["parameters"]["ReportNamePattern"];
                account_id?: components["parameters"]["ReportAccountId"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One entry per day. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "daily_usage": [
                     *         {
                     *           "date": "2018-01-01T00:00:00.000Z",
                     *           "rhel_instances": 1,
                     *           "openshift_instances": 0,
                     *           "rhel_runtime_seconds": 18000,
                     *           "openshift_runtime_seconds": 0
                     *         }
                     *       ],
                     *       "instances_seen_with_rhel": 1,
                     *       "instances_seen_with_openshift": 0
                     *     }
                     */
                    "application/json": components["schemas"]["DailyUsageReport"];
                };
            };
            400: components["responses"]["UsageBadRequest"];
            401: components["responses"]["UsageUnauthorized"];
            default: components["responses"]["UsageError"];
        };
    };
    getAccountsReport: {
        parameters: {
            query: {
                /** @description Inclusive (ISO 8601). */
                start: components["parameters"]["ReportStart"];
                /** @description Exclusive (ISO 8601). */
                end: components["parameters"]["ReportEnd"];
                /** @description Words split on spaces; accounts whose name contains any of them, ignoring case. */
                name_pattern?: components["parameters"]["ReportNamePattern"];
                account_id?: components["parameters"]["ReportAccountId"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One overview per account. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cloud_account_overviews: components["schemas"]["AccountOverview"][];
                    };
                };
            };
            400: components["responses"]["UsageBadRequest"];
            401: components["responses"]["UsageUnauthorized"];
            default: components["responses"]["UsageError"];
        };
    };
    getImagesReport: {
        parameters: {
            query: {
                /** @description Inclusive (ISO 8601). */
                start: components["parameters"]["ReportStart"];
                /** @description Exclusive (ISO 8601). */
                end: components["parameters"]["ReportEnd"];
                account_id: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One entry per image. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        images: components["schemas"]["ImageOverview"][];
                    };
                };
            };
            400: components["responses"]["UsageBadRequest"];
            401: components["responses"]["UsageUnauthorized"];
            default: components["responses"]["UsageError"];
        };
    };
}
