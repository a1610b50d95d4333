export interface paths {
    "/api/v1/auth/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Signup
         * @description Creates an account and sends an email-verification message. The password takes 8 to 128 characters with at least one uppercase letter, one lowercase letter and one digit. `role` is one role reference or a comma-separated list; a reference is a role id or a role name (case-insensitive); an unknown role is a 422. 403 when a role that is not self-assignable is asked for; 409 when the email is registered.
         */
        post: operations["signup_api_v1_auth_signup_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Login
         * @description 401 on a wrong email or password; 403 for a disabled user; 423 while the account is locked (after 5 consecutive failures, for 15 minutes).
         */
        post: operations["login_api_v1_auth_login_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refresh Token
         * @description Rotates the refresh token. Presenting an already-rotated refresh token revokes the session (401).
         */
        post: operations["refresh_token_api_v1_auth_refresh_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Logout
         * @description Ends the calling session; its access token stops working at once.
         */
        post: operations["logout_api_v1_auth_logout_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Logout All
         * @description Ends every session of the caller.
         */
        post: operations["logout_all_api_v1_auth_logout_all_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Me */
        get: operations["me_api_v1_auth_me_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/verify-email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify Email
         * @description 400 on a bad, used or expired token.
         */
        post: operations["verify_email_api_v1_auth_verify_email_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/resend-verification": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resend Verification
         * @description 409 when the email is already verified.
         */
        post: operations["resend_verification_api_v1_auth_resend_verification_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/change-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change Password
         * @description Revokes the caller's other sessions. 400 when the current password is wrong; a wrong one counts as a failed login (lockout, 423) and every attempt spends the login rate limits of the address and of the account (429).
         */
        post: operations["change_password_api_v1_auth_change_password_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password-reset-request": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Password Reset Request
         * @description Answers the same whether or not the email is registered.
         */
        post: operations["password_reset_request_api_v1_auth_password_reset_request_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Password Reset
         * @description Revokes all the user's sessions and clears a lockout. 400 on a bad, used or expired token.
         */
        post: operations["password_reset_api_v1_auth_password_reset_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Sessions
         * @description The caller's active sessions.
         */
        get: operations["list_sessions_api_v1_auth_sessions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sessions/{session_id}": {
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
         * Revoke Session
         * @description Revokes one of the caller's sessions.
         */
        delete: operations["revoke_session_api_v1_auth_sessions__session_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Users */
        get: operations["get_users_api_v1_users__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get User */
        get: operations["get_user_api_v1_users__user_id__get"];
        /**
         * Update User
         * @description Every user may change their own `name` and `email`; `status` and `role` changes need the `users` module. A change of one's own `email` needs `current_password` (missing: 422; wrong: 400 `invalid_password`, counted as a failed login; 423 while the account is locked); any email change mails a notice to the old address and a verification link to the new one, and `auth.email_verified` becomes false. 409 when the email is registered.
         */
        put: operations["update_user_api_v1_users__user_id__put"];
        post?: never;
        /**
         * Delete User
         * @description Revokes the user's sessions, ends their community memberships and withdraws their pending join requests. 409 when the user is the last admin, or the only administrator of a community (last_community_admin).
         */
        delete: operations["delete_user_api_v1_users__user_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/add-to-community/{community_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add User To Community
         * @description Community admins and global admins (module `communities`). The body's `user_id` counts; `added_at` is ignored; a `community_id` in the body, when given, must match the path (422 at `["body","community_id"]`). 404 when the community or the user does not exist, 409 when the user is already a member.
         */
        post: operations["add_user_to_community_api_v1_users_add_to_community__community_id__post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{user_id}/communities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get User Communities
         * @description The communities the user belongs to, oldest membership first: one's own, or anyone's with the `users` module (403 otherwise; 404 for an unknown user).
         */
        get: operations["get_user_communities_api_v1_users__user_id__communities_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/user-roles/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get All User Roles */
        get: operations["get_all_user_roles_api_v1_user_roles__get"];
        put?: never;
        /**
         * Create User Role
         * @description Role names are unique, case-insensitive (409).
         */
        post: operations["create_user_role_api_v1_user_roles__post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/user-roles/user/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get User Roles By User
         * @description The roles of a user.
         */
        get: operations["get_user_roles_by_user_api_v1_user_roles_user__user_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/user-roles/role/{role_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get User Roles By Role
         * @description The users that hold the role, each as `{id, name}` (the user's id and name; the seed declares the items as `UserRoleResponse`, whose required fields are the same).
         */
        get: operations["get_user_roles_by_role_api_v1_user_roles_role__role_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/user-roles/{user_role_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Update User Role
         * @description 409 on a duplicate name; the built-in `admin` role cannot be renamed.
         */
        put: operations["update_user_role_api_v1_user_roles__user_role_id__put"];
        post?: never;
        /**
         * Delete User Role
         * @description Also removes the role from every user and module; the built-in `admin` role cannot be deleted.
         */
        delete: operations["delete_user_role_api_v1_user_roles__user_role_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/user-roles/user/{user_id}/role/{role_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add User Role By User And Role
         * @description Gives the role to the user; answers the user's roles after the assignment.
         */
        post: operations["add_user_role_by_user_and_role_api_v1_user_roles_user__user_id__role__role_id__post"];
        /**
         * Delete User Role By User And Role
         * @description Takes the role away; the last admin cannot lose the `admin` role (409).
         */
        delete: operations["delete_user_role_by_user_and_role_api_v1_user_roles_user__user_id__role__role_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/role-base-modules/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Role Base Modules */
        get: operations["list_role_base_modules_api_v1_role_base_modules__get"];
        put?: never;
        /**
         * Create Role Base Module
         * @description Module names are unique (409).
         */
        post: operations["create_role_base_module_api_v1_role_base_modules__post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/role-base-modules/{module_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Role Base Module By Id */
        get: operations["get_role_base_module_by_id_api_v1_role_base_modules__module_id__get"];
        /** Update Role Base Module */
        put: operations["update_role_base_module_api_v1_role_base_modules__module_id__put"];
        post?: never;
        /** Delete Role Base Module */
        delete: operations["delete_role_base_module_api_v1_role_base_modules__module_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/role-base-modules/{module_id}/add-roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Add User Roles To Module */
        put: operations["add_user_roles_to_module_api_v1_role_base_modules__module_id__add_roles_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/role-base-modules/{module_id}/remove-roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Remove User Roles From Module */
        put: operations["remove_user_roles_from_module_api_v1_role_base_modules__module_id__remove_roles_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/access/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Check Access
         * @description Explains whether a user may use a module. 404 when `user_id` names no user.
         */
        get: operations["check_access_api_v1_access_check_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/communities/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Communities */
        get: operations["list_communities_api_v1_communities__get"];
        put?: never;
        /**
         * Create Community
         * @description The creator becomes the community's admin. Names are unique, case-insensitive (409).
         */
        post: operations["create_community_api_v1_communities__post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/communities/{community_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Community */
        get: operations["get_community_api_v1_communities__community_id__get"];
        /**
         * Update Community
         * @description Community admins and global admins. Names are unique, case-insensitive (409). A null or absent field is left unchanged.
         */
        put: operations["update_community_api_v1_communities__community_id__put"];
        post?: never;
        /**
         * Delete Community
         * @description Community admins and global admins. Also removes the community's memberships, join requests and logo. 409 (`community_has_datasets`) while the community still holds datasets.
         */
        delete: operations["delete_community_api_v1_communities__community_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/communities/{community_id}/logo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Community Logo
         * @description Serves the stored bytes with their media type and an `ETag` (the SHA-256, quoted); a matching `If-None-Match` gets 304. 404 when the community has no logo.
         */
        get: operations["get_community_logo_api_v1_communities__community_id__logo_get"];
        /**
         * Upload Community Logo
         * @description Community admins and global admins. A PNG, JPEG or WebP image, recognised by its content (never by its file name or declared type), at most 2 MiB (413 above, `logo_too_large`) and at most 4096×4096 pixels. The dimensions are read from the header before any pixel is decoded, so an oversized image (a decompression bomb) is refused cheaply with 422 (`logo_dimensions`) at `["body","file"]`; an image that does not decode fully (truncated, corrupt) is a 422 there too (`logo_corrupt`). Anything else is 415 (`unsupported_logo_type`), and a body that is not `multipart/form-data` is 415 as well. The answer's `logo` is `/api/v1/communities/{id}/logo`; the logo it replaces is deleted.
         */
        put: operations["upload_community_logo_api_v1_communities__community_id__logo_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/communities/{community_id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Community Members
         * @description Members of the community, oldest first: visible to its members, its admins and global admins (403 for others).
         */
        get: operations["list_community_members_api_v1_communities__community_id__members_get"];
        put?: never;
        /**
         * Add Community Member
         * @description Community admins and global admins. 404 when the user does not exist, 409 when the user is already a member. A `community_id` in the body, when given, must match the path (422).
         */
        post: operations["add_community_member_api_v1_communities__community_id__members_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/communities/{community_id}/members/{user_id}": {
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
         * Remove Community Member
         * @description A community admin, or the member leaving. The last community admin cannot leave (409).
         */
        delete: operations["remove_community_member_api_v1_communities__community_id__members__user_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/communities/{community_id}/join-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Join Requests
         * @description Community admins and global admins. Oldest first.
         */
        get: operations["list_join_requests_api_v1_communities__community_id__join_requests_get"];
        put?: never;
        /**
         * Create Join Request
         * @description The caller asks to join; asking for another `user_id` needs a community admin (or a global admin). The community's admins are told by mail. 409 on a second pending request, or a request from a member.
         */
        post: operations["create_join_request_api_v1_communities__community_id__join_requests_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/communities/{community_id}/join-requests/{request_id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve Join Request
         * @description Community admins and global admins. Adds the requester as a member and tells them by mail. 409 when the request is no longer pending (of two admins approving at once, one gets 409). 404 `user_not_found` when the requester's account was deleted meanwhile: the request is approved, no membership is made.
         */
        post: operations["approve_join_request_api_v1_communities__community_id__join_requests__request_id__approve_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/communities/{community_id}/join-requests/{request_id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject Join Request
         * @description Community admins and global admins. The requester is told by mail, with the reason when one is given. 409 when the request is no longer pending.
         */
        post: operations["reject_join_request_api_v1_communities__community_id__join_requests__request_id__reject_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/communities/{community_id}/join-requests/{request_id}": {
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
         * Withdraw Join Request
         * @description The requester withdraws a pending request. 409 when it is no longer pending.
         */
        delete: operations["withdraw_join_request_api_v1_communities__community_id__join_requests__request_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create Shared File
         * @description The upload is streamed; over the configured maximum → 413 and nothing is kept; an empty file → 422. 403 when the caller is not a member of `community_id`, 404 when that community does not exist; 400 when the multipart body is cut short or malformed.
         */
        post: operations["create_shared_file_api_v1_datasets_create_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Datasets
         * @description The datasets the caller may see.
         */
        get: operations["list_datasets_api_v1_datasets__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{dataset_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Dataset */
        get: operations["get_dataset_api_v1_datasets__dataset_id__get"];
        /**
         * Update Dataset
         * @description The owner, community admins and global admins.
         */
        put: operations["update_dataset_api_v1_datasets__dataset_id__put"];
        post?: never;
        /**
         * Delete Dataset
         * @description Removes the dataset and its blobs.
         */
        delete: operations["delete_dataset_api_v1_datasets__dataset_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{dataset_id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download Dataset
         * @description Streams the file with its own `Content-Type`. `Range` → 206, `If-None-Match` → 304. A `restricted` dataset's file needs an active grant of those who do not manage it: 403 `grant_required` otherwise.
         */
        get: operations["download_dataset_api_v1_datasets__dataset_id__download_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{dataset_id}/file": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Replace Dataset File
         * @description Uploads a new version (`version` + 1); older versions are kept.
         */
        put: operations["replace_dataset_file_api_v1_datasets__dataset_id__file_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{dataset_id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Dataset Versions */
        get: operations["list_dataset_versions_api_v1_datasets__dataset_id__versions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{dataset_id}/access-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Dataset Access Log
         * @description Every view, download and change of the dataset. The owner, community admins and global admins.
         */
        get: operations["get_dataset_access_log_api_v1_datasets__dataset_id__access_log_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/communities/{community_id}/terms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Terms
         * @description The community's data-use terms, the newest version first.
         */
        get: operations["list_terms_api_v1_communities__community_id__terms_get"];
        put?: never;
        /**
         * Publish Terms
         * @description Publishes the next version of the community's terms (versions count 1, 2, … per community; published terms never change). Community admins and global admins.
         */
        post: operations["publish_terms_api_v1_communities__community_id__terms_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/communities/{community_id}/terms/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Current Terms
         * @description The community's current terms: the highest version. 404 when it has published none.
         */
        get: operations["current_terms_api_v1_communities__community_id__terms_current_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{dataset_id}/access-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Access Requests
         * @description The dataset's access requests, the newest first. Deciders: the dataset's owner, its community's admins and global admins (others get 403).
         */
        get: operations["list_access_requests_api_v1_datasets__dataset_id__access_requests_get"];
        put?: never;
        /**
         * Request Access
         * @description Asks to use a `restricted` dataset (409 `not_restricted` otherwise; 409 `already_allowed` for someone who may download it; 409 on a second pending request). When the community has terms, `accepted_terms_version` must be the current version (missing → 422, another → 409 `terms_outdated`) and the acceptance is kept as a consent record. The deciders are told by mail.
         */
        post: operations["create_access_request_api_v1_datasets__dataset_id__access_requests_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{dataset_id}/access-requests/{request_id}": {
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
         * Withdraw Access Request
         * @description The requester withdraws their pending request (status `withdrawn`). 409 when it is no longer pending.
         */
        delete: operations["withdraw_access_request_api_v1_datasets__dataset_id__access_requests__request_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{dataset_id}/access-requests/{request_id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve Access Request
         * @description Approves a pending request and makes its grant, ending at `expires_at` (at most, and by default, the request's `requested_until`). Concurrent approvals make exactly one grant; deciding anything not pending → 409. The requester is told by mail. Deciders: the dataset's owner, its community's admins and global admins (others get 403).
         */
        post: operations["approve_access_request_api_v1_datasets__dataset_id__access_requests__request_id__approve_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{dataset_id}/access-requests/{request_id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject Access Request
         * @description Declines a pending request with a reason, which the requester is told by mail. 409 when it is no longer pending. Deciders: the dataset's owner, its community's admins and global admins (others get 403).
         */
        post: operations["reject_access_request_api_v1_datasets__dataset_id__access_requests__request_id__reject_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/access-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List My Access Requests
         * @description The caller's own access requests, the newest first.
         */
        get: operations["list_my_access_requests_api_v1_access_requests_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{dataset_id}/grants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Dataset Grants
         * @description The dataset's grants, the newest first, with their status now. Deciders: the dataset's owner, its community's admins and global admins (others get 403).
         */
        get: operations["list_dataset_grants_api_v1_datasets__dataset_id__grants_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/grants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List My Grants
         * @description The caller's own grants, the newest first, with their status now.
         */
        get: operations["list_my_grants_api_v1_grants_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/grants/{grant_id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke Grant
         * @description Ends an active grant at once, on every replica: a decider, or the grantee withdrawing consent. 409 when the grant has ended or was revoked already. A grant of a dataset the caller may not see is a 404.
         */
        post: operations["revoke_grant_api_v1_grants__grant_id__revoke_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/register/data-uses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Register Of Data Uses
         * @description Public, no sign-in: every grant ever made, the newest first, with its organization, purpose, dataset, community and period, and never a person's name, email or id.
         */
        get: operations["list_data_uses_api_v1_register_data_uses_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Audit Events
         * @description The audit trail, newest first, filtered by `actor_id`, `action`, `target_type`, `target_id` and the time window `since`…`until` (inclusive). Actions: `auth.signup`, `auth.login`, `auth.lockout`, `auth.logout`, `auth.logout_all`, `auth.session_revoke`, `auth.refresh_reuse_detected`, `auth.password_reset_requested`, `auth.password_reset`, `auth.password_changed`, `auth.email_verified`, `user.create`, `user.update`, `user.delete`, `role.create`, `role.update`, `role.delete`, `role.assign`, `role.unassign`, `module.create`, `module.update`, `module.add_roles`, `module.remove_roles`, `module.delete`, `community.create`, `community.update`, `community.logo_update`, `community.delete`, `membership.add`, `membership.remove`, `membership.leave`, `join_request.create`, `join_request.approve`, `join_request.reject`, `join_request.withdraw`, `dataset.create`, `dataset.view`, `dataset.download`, `dataset.update`, `dataset.version`, `dataset.delete`, `access.denied` (a request refused for want of its module: 403 `module_forbidden`). Outcomes: `success`, `failure` (for example a wrong password), `denied` (refused on rights or policy: a locked or disabled account, a missing right). Events carry ids, addresses and reasons; never passwords, tokens, links or request bodies.
         */
        get: operations["list_audit_events_api_v1_audit_events_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit-events/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Verify Audit Chain
         * @description Walks the hash chain in sequence order and reports the first broken link, if any: an edited, removed or reordered event, or events removed from the end (the store records the newest event at every append, and the chain must reach it). `last` names the last event checked: kept outside the service, its `seq` and `hash` prove at a later check that nothing was cut off.
         */
        get: operations["verify_audit_events_api_v1_audit_events_verify_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Healthz
         * @description The process is alive.
         */
        get: operations["healthz_healthz_get"];
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
         * Readyz
         * @description The database is reachable (503 otherwise).
         */
        get: operations["readyz_readyz_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * OpenAPI Document
         * @description This document.
         */
        get: operations["openapi_api_v1_openapi_json_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * JWKS
         * @description Public keys that verify access tokens.
         */
        get: operations["jwks__well_known_jwks_json_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/uploads/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create Upload
         * @description Creates a resumable upload of `Upload-Length` bytes (tus creation), checking first, as `POST /datasets/create` or `PUT /datasets/{id}/file` would, the caller's rights (member of the community; allowed to change the dataset), the size (`MAX_UPLOAD_BYTES`) and the metadata. With a body (`Content-Type: application/offset+octet-stream`) its bytes are the first piece (creation-with-upload). When the last byte arrives the dataset or version is created exactly as by `POST /datasets/create` (SHA-256, audit events), and `Dataset-Id`/`Dataset-Location` say which.
         */
        post: operations["create_upload_api_v1_uploads__post"];
        delete?: never;
        /**
         * Tus Options
         * @description What the server supports (tus discovery). Public. A browser's CORS preflight (with `Origin` and `Access-Control-Request-Method`) is answered by the CORS layer instead, without the tus headers.
         */
        options: operations["tus_options_api_v1_uploads__options"];
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/uploads/{upload_id}": {
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
         * Terminate Upload
         * @description Ends the upload (tus termination): an unfinished one's bytes are deleted; a finished one leaves its dataset as it is.
         */
        delete: operations["terminate_upload_api_v1_uploads__upload_id__delete"];
        /**
         * Tus Options
         * @description What the server supports (tus discovery). Public. A browser's CORS preflight (with `Origin` and `Access-Control-Request-Method`) is answered by the CORS layer instead, without the tus headers.
         */
        options: operations["tus_upload_options_api_v1_uploads__upload_id__options"];
        /**
         * Upload Status
         * @description How far the upload got (tus core): `Upload-Offset` is where the next `PATCH` starts. A request still writing the upload (a connection cut the server has not noticed yet) is asked to stop first, so that the offset is where the bytes end. Another user's upload is not found.
         */
        head: operations["upload_status_api_v1_uploads__upload_id__head"];
        /**
         * Append To Upload
         * @description Appends the body at `Upload-Offset`, which must be the upload's offset (409 otherwise: ask `HEAD`). A piece cut off keeps the bytes that arrived (with `Upload-Checksum`, only a whole matching piece counts). With the last byte the dataset or version is created as by `POST /datasets/create`, and the answer carries `Dataset-Id` and `Dataset-Location`. Sending the end again after a lost answer answers the same.
         */
        patch: operations["append_to_upload_api_v1_uploads__upload_id__patch"];
        trace?: never;
    };
    "/api/v1/datasets/{dataset_id}/download-link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create Download Link
         * @description Signs a URL that downloads a version of the file (the current one unless `version` says) without an `Authorization` header until it expires (`DOWNLOAD_LINK_TTL`, at most 5 min). It is bound to the caller: the download is logged and audited as theirs, and refused (403) once they may no longer download the file (signed out, disabled or deleted, out of the community, grant ended). The body is optional.
         */
        post: operations["create_download_link_api_v1_datasets__dataset_id__download_link_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/download-links/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Follow Download Link
         * @description Downloads the file a download link names, without `Authorization`, as the user the link was made for (logged and audited as theirs), with `Range` → 206 and `If-None-Match` → 304 as `GET /datasets/{id}/download`. An altered, expired or revoked link → 403.
         */
        get: operations["follow_download_link_api_v1_download_links__token__get"];
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
        /** AccessCheckResponse */
        AccessCheckResponse: {
            allowed: boolean;
            module: string;
            /** @description Names of the roles that grant access. */
            via_roles: string[];
            reason: string;
        };
        /** AddUserToCommunityResponse */
        AddUserToCommunityResponse: {
            user_id: string;
            community_id: string;
            /** Format: date-time */
            added_at: string;
        };
        /** AuditEvent */
        AuditEvent: {
            /** @description Opaque identifier (24 hexadecimal characters). */
            id: string;
            /** @description Position in the chain, from 1. */
            seq: number;
            /** Format: date-time */
            at: string;
            actor_id: string | null;
            /** @description For example `auth.login`, `dataset.download`. */
            action: string;
            target_type: string | null;
            target_id: string | null;
            ip: string;
            user_agent: string;
            request_id: string;
            /** @description For example `success`, `failure`, `denied`. */
            outcome: string;
            /** @description Hash of the previous event (64 zeros for the first). */
            prev_hash: string;
            /** @description SHA-256 (hex) of the event's canonical encoding followed by prev_hash. */
            hash: string;
            /** @description Small free-form context (for example the reason of a failure); never secrets. */
            details?: {
                [key: string]: string;
            };
        };
        /** AuditEventListResponse */
        AuditEventListResponse: {
            /** @enum {string} */
            status: "success";
            message: string;
            data: components["schemas"]["AuditEvent"][];
            pagination: components["schemas"]["Pagination"];
        };
        /** AuditVerifyResponse */
        AuditVerifyResponse: {
            /** @description Whether the whole chain is intact. */
            valid: boolean;
            /** @description Events checked. */
            checked: number;
            /** @description The first broken link, null when the chain is intact. `id` and `at` are null when the event is missing and unknown (a removed tail). */
            first_broken: {
                seq: number;
                id: string | null;
                at: string | null;
                reason: string;
            } | null;
            /** @description The last event checked (null for an empty chain). Kept outside the store, its `seq` and `hash` let a later verification prove that no event was removed from the end. */
            last: {
                seq: number;
                id: string;
                hash: string;
            } | null;
        };
        /**
         * AuthInfo
         * @description Schema for authentication information.
         */
        AuthInfo: {
            is_active: boolean;
            email_verified: boolean;
            last_login: string | null;
            /** @default 0 */
            failed_login_attempts: number;
            locked_until: string | null;
        };
        /** Body_create_shared_file_api_v1_datasets_create_post */
        Body_create_shared_file_api_v1_datasets_create_post: {
            /** Format: binary */
            file: Blob;
            /**
             * @description Defaults to the file name.
             * @example
             */
            title?: string;
            /** @example  */
            description?: string;
            /**
             * @description The caller must be a member of the community.
             * @example
             */
            community_id?: string;
            /**
             * @description Defaults to `community` with a community, else `private`; an empty value (a form sends its empty fields) is the default too.
             * @example
             * @enum {string}
             */
            visibility?: "public" | "community" | "restricted" | "private";
            /**
             * @description Comma-separated tags.
             * @example
             */
            tags?: string;
            /** @example  */
            license?: string;
        };
        /** ChangePasswordRequest */
        ChangePasswordRequest: {
            current_password: string;
            /** @description 8 to 128 characters with at least one uppercase letter, one lowercase letter and one digit */
            new_password: string;
        };
        /** CommunityAddUserRequest */
        CommunityAddUserRequest: {
            community_id: string;
            user_id: string;
            /**
             * @default member
             * @enum {string}
             */
            role: "member" | "admin";
        };
        /** CommunityCreate */
        CommunityCreate: {
            name: string;
            description?: string | null;
        };
        /** CommunityJoinRequest */
        CommunityJoinRequest: {
            /** @description Opaque identifier (24 hexadecimal characters). */
            id: string;
            community_id: string;
            user_id: string;
            message: string | null;
            /** @enum {string} */
            status: "pending" | "approved" | "rejected" | "withdrawn";
            /** Format: date-time */
            created_at: string;
            decided_at: string | null;
            decided_by: string | null;
            reason: string | null;
        };
        /** CommunityJoinRequestCreate */
        CommunityJoinRequestCreate: {
            community_id: string;
            user_id: string;
            message?: string | null;
        };
        /**
         * CommunityJoinRequestInput
         * @description The caller asks to join; a `user_id` other than the caller's needs a community admin. A `community_id`, when given, must match the path.
         */
        CommunityJoinRequestInput: {
            message?: string | null;
            user_id?: string;
            community_id?: string;
        };
        /** CommunityJoinRequestListResponse */
        CommunityJoinRequestListResponse: {
            /** @enum {string} */
            status: "success";
            message: string;
            data: components["schemas"]["CommunityJoinRequest"][];
            pagination: components["schemas"]["Pagination"];
        };
        /** CommunityJoinRequestReject */
        CommunityJoinRequestReject: {
            reason?: string | null;
        };
        /** CommunityListResponse */
        CommunityListResponse: {
            status: string;
            message: string;
            data: {
                id: string;
                name: string;
                logo: string;
                description: string | null;
                /** @description Id of the user who created the community. */
                created_by: string;
                member_count: number;
                /** Format: date-time */
                created_at: string;
                /** Format: date-time */
                updated_at: string;
            }[];
            pagination: components["schemas"]["Pagination"];
        };
        /** CommunityLogoUpload */
        CommunityLogoUpload: {
            /**
             * Format: binary
             * @description PNG, JPEG or WebP, at most 2 MiB.
             */
            file: Blob;
        };
        /**
         * CommunityMember
         * @description A membership.
         */
        CommunityMember: {
            community_id: string;
            user_id: string;
            /** @description The member's name. */
            name?: string;
            /** @enum {string} */
            role: "member" | "admin";
            /** Format: date-time */
            added_at: string;
        };
        /** CommunityMemberCreate */
        CommunityMemberCreate: {
            user_id: string;
            /**
             * @default member
             * @enum {string}
             */
            role: "member" | "admin";
        };
        /** CommunityMemberListResponse */
        CommunityMemberListResponse: {
            /** @enum {string} */
            status: "success";
            message: string;
            data: components["schemas"]["CommunityMember"][];
            pagination: components["schemas"]["Pagination"];
        };
        /** CommunityResponse */
        CommunityResponse: {
            id: string;
            name: string;
            /** @description URL of the logo (`/api/v1/communities/{id}/logo`), or an empty string when there is none. */
            logo: string;
            description: string | null;
            /** @description Id of the user who created the community. */
            created_by: string;
            member_count: number;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** CommunityUpdate */
        CommunityUpdate: {
            name?: string | null;
            description?: string | null;
        };
        /** DatasetFile */
        DatasetFile: {
            filename: string;
            content_type: string;
            /** @description Bytes. */
            size: number;
            /** @description Hex-encoded SHA-256 of the content. */
            sha256: string;
        };
        /** DatasetFileUpload */
        DatasetFileUpload: {
            /** Format: binary */
            file: Blob;
        };
        /** DatasetListResponse */
        DatasetListResponse: {
            /** @enum {string} */
            status: "success";
            message: string;
            data: components["schemas"]["DatasetResponse"][];
            pagination: components["schemas"]["Pagination"];
        };
        /** DatasetResponse */
        DatasetResponse: {
            id: string;
            title: string;
            description: string | null;
            community_id: string | null;
            owner_id: string;
            /** @enum {string} */
            visibility: "public" | "community" | "restricted" | "private";
            tags: string[];
            license: string | null;
            file: components["schemas"]["DatasetFile"];
            version: number;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** DatasetUpdate */
        DatasetUpdate: {
            title?: string | null;
            description?: string | null;
            visibility?: ("public" | "community" | "restricted" | "private") | null;
            tags?: string[] | null;
            license?: string | null;
        };
        /** DatasetVersion */
        DatasetVersion: {
            version: number;
            file: components["schemas"]["DatasetFile"];
            created_by: string;
            /** Format: date-time */
            created_at: string;
        };
        /** DatasetVersionListResponse */
        DatasetVersionListResponse: {
            /** @enum {string} */
            status: "success";
            message: string;
            data: components["schemas"]["DatasetVersion"][];
            pagination: components["schemas"]["Pagination"];
        };
        /** TermsCreate */
        TermsCreate: {
            /** @description One line. */
            title: string;
            /** @description Markdown. */
            body: string;
        };
        /**
         * Terms
         * @description One version of a community's data-use terms; never changed once published.
         */
        Terms: {
            /** @description Opaque identifier (24 hexadecimal characters). */
            id: string;
            community_id: string;
            version: number;
            title: string;
            body: string;
            /** Format: date-time */
            published_at: string;
            published_by: string;
        };
        /** TermsListResponse */
        TermsListResponse: {
            /** @enum {string} */
            status: "success";
            message: string;
            data: components["schemas"]["Terms"][];
            pagination: components["schemas"]["Pagination"];
        };
        /** AccessRequestCreate */
        AccessRequestCreate: {
            purpose: string;
            organization?: string | null;
            /**
             * Format: date-time
             * @description In the future, at most 365 days ahead.
             */
            requested_until: string;
            accepted_terms_version?: number | null;
        };
        /** AccessRequestApprove */
        AccessRequestApprove: {
            expires_at?: string | null;
            note?: string | null;
        };
        /** AccessRequestReject */
        AccessRequestReject: {
            reason: string;
        };
        /** AccessRequest */
        AccessRequest: {
            /** @description Opaque identifier (24 hexadecimal characters). */
            id: string;
            dataset_id: string;
            requester_id: string;
            purpose: string;
            organization: string | null;
            /** Format: date-time */
            requested_until: string;
            accepted_terms_version: number | null;
            /** @enum {string} */
            status: "pending" | "approved" | "rejected" | "withdrawn";
            decided_by: string | null;
            decided_at: string | null;
            reason: string | null;
            note: string | null;
            grant_id: string | null;
            /** Format: date-time */
            created_at: string;
        };
        /** AccessRequestListResponse */
        AccessRequestListResponse: {
            /** @enum {string} */
            status: "success";
            message: string;
            data: components["schemas"]["AccessRequest"][];
            pagination: components["schemas"]["Pagination"];
        };
        /** GrantRevoke */
        GrantRevoke: {
            reason: string;
        };
        /** Grant */
        Grant: {
            /** @description Opaque identifier (24 hexadecimal characters). */
            id: string;
            dataset_id: string;
            /** @description As it was when the grant was made. */
            dataset_title: string;
            community_id: string;
            grantee_id: string;
            request_id: string;
            purpose: string;
            organization: string | null;
            terms_version: number | null;
            granted_by: string;
            /** Format: date-time */
            granted_at: string;
            /** Format: date-time */
            expires_at: string;
            /**
             * @description Active while now < expires_at and not revoked.
             * @enum {string}
             */
            status: "active" | "expired" | "revoked";
            revoked_at: string | null;
            revoked_by: string | null;
            revoke_reason: string | null;
        };
        /** GrantListResponse */
        GrantListResponse: {
            /** @enum {string} */
            status: "success";
            message: string;
            data: components["schemas"]["Grant"][];
            pagination: components["schemas"]["Pagination"];
        };
        /**
         * DataUse
         * @description One entry of the public register: never a person's name, email or id.
         */
        DataUse: {
            grant_id: string;
            dataset_id: string;
            /** @description As it was when the grant was made. */
            dataset_title: string;
            community_id: string;
            /** @description As it was when the grant was made. */
            community_name: string;
            organization: string | null;
            purpose: string;
            /** Format: date-time */
            granted_at: string;
            /** Format: date-time */
            expires_at: string;
            revoked_at: string | null;
            /** @enum {string} */
            status: "active" | "expired" | "revoked";
        };
        /** DataUseListResponse */
        DataUseListResponse: {
            /** @enum {string} */
            status: "success";
            message: string;
            data: components["schemas"]["DataUse"][];
            pagination: components["schemas"]["Pagination"];
        };
        /**
         * ErrorResponse
         * @description Every error other than a 422 and a 500.
         */
        ErrorResponse: {
            /** @description A sentence safe to show. */
            detail: string;
            code: components["schemas"]["ErrorCode"];
        };
        /** HTTPValidationError */
        HTTPValidationError: {
            detail: components["schemas"]["ValidationError"][];
        };
        /** HealthResponse */
        HealthResponse: {
            /** @enum {string} */
            status: "ok";
        };
        /**
         * JWK
         * @description An Ed25519 public key (RFC 8037).
         */
        JWK: {
            /** @enum {string} */
            kty: "OKP";
            /** @enum {string} */
            crv: "Ed25519";
            /** @description The public key, base64url without padding. */
            x: string;
            kid: string;
            /** @enum {string} */
            alg: "EdDSA";
            /** @enum {string} */
            use: "sig";
        };
        /** JWKS */
        JWKS: {
            keys: components["schemas"]["JWK"][];
        };
        /** LoginResponse */
        LoginResponse: {
            access_token: string;
            refresh_token: string;
            /**
             * @default bearer
             * @enum {string}
             */
            token_type: "bearer";
            /** @description Lifetime of the access token, in seconds. */
            expires_in: number;
            user: components["schemas"]["app__schemas__auth__UserResponse"];
        };
        /** MessageResponse */
        MessageResponse: {
            message: string;
        };
        /** Pagination */
        Pagination: {
            page: number;
            limit: number;
            total: number;
            pages: number;
        };
        /**
         * PasswordReset
         * @description Schema for password reset.
         */
        PasswordReset: {
            token: string;
            /** @description New password must be at least 8 characters */
            new_password: string;
        };
        /**
         * PasswordResetRequest
         * @description Schema for password reset request.
         */
        PasswordResetRequest: {
            /** Format: email */
            email: string;
        };
        /**
         * RefreshTokenRequest
         * @description Schema for refresh token request.
         */
        RefreshTokenRequest: {
            refresh_token: string;
        };
        /** RoleBaseModule */
        RoleBaseModule: {
            /** @description Opaque identifier (24 hexadecimal characters). */
            id: string;
            module_name: string;
            /** @description Ids of the roles that may use the module. */
            user_roles: string[];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /**
         * RoleBaseModuleCreate
         * @description Schema for creating a new role base module.
         */
        RoleBaseModuleCreate: {
            /** @description Name of the module */
            module_name: string;
            /** @description List of user role IDs associated with this module */
            user_roles?: string[];
        };
        /** RoleBaseModuleListResponse */
        RoleBaseModuleListResponse: {
            /** @enum {string} */
            status: "success";
            message: string;
            data: components["schemas"]["RoleBaseModule"][];
            pagination: components["schemas"]["Pagination"];
        };
        /** RoleBaseModuleResponse */
        RoleBaseModuleResponse: {
            /** @enum {string} */
            status: "success";
            message: string;
            data: components["schemas"]["RoleBaseModule"];
        };
        /**
         * RoleBaseModuleUpdate
         * @description Schema for updating a role base module.
         */
        RoleBaseModuleUpdate: {
            /** @description Updated name of the module */
            module_name?: string | null;
            /** @description Updated list of user role IDs associated with this module */
            user_roles?: string[] | null;
        };
        /**
         * RoleBaseModuleUserRoleOperation
         * @description Schema for adding or removing user roles from a module.
         */
        RoleBaseModuleUserRoleOperation: {
            /** @description List of user role IDs to add or remove */
            user_role_ids: string[];
        };
        /**
         * RoleRef
         * @description A role, by id and name.
         */
        RoleRef: {
            /** @description Opaque identifier (24 hexadecimal characters). */
            id: string;
            name: string;
        };
        /**
         * Session
         * @description A signed-in device.
         */
        Session: {
            /** @description Opaque identifier (24 hexadecimal characters). */
            id: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            last_used_at: string;
            /** Format: date-time */
            expires_at: string;
            ip: string;
            user_agent: string;
            /** @description Whether this is the session of the calling token. */
            current: boolean;
        };
        /** SessionListResponse */
        SessionListResponse: {
            /** @enum {string} */
            status: "success";
            message: string;
            data: components["schemas"]["Session"][];
            pagination: components["schemas"]["Pagination"];
        };
        /**
         * Token
         * @description Schema for authentication tokens.
         */
        Token: {
            access_token: string;
            refresh_token: string;
            /**
             * @default bearer
             * @enum {string}
             */
            token_type: "bearer";
            /** @description Lifetime of the access token, in seconds. */
            expires_in: number;
        };
        /**
         * UserLogin
         * @description Schema for user login.
         */
        UserLogin: {
            /** Format: email */
            email: string;
            /** @description Password must be at least 8 characters */
            password: string;
        };
        /** UserRoleCreate */
        UserRoleCreate: {
            name: string;
            /**
             * @description Whether a public signup may take this role.
             * @default false
             */
            self_assignable: boolean;
        };
        /** UserRoleResponse */
        UserRoleResponse: {
            name: string;
            id: string;
            self_assignable: boolean;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /**
         * UserSignup
         * @description Schema for user registration.
         */
        UserSignup: {
            /** @description User's full name */
            name: string;
            /** Format: email */
            email: string;
            /** @description Password must be at least 8 characters */
            password: string;
            /** @description List of role IDs to assign to the user */
            role: string;
        };
        /** UserUpdate */
        UserUpdate: {
            name?: string | null;
            email?: string | null;
            status?: boolean | null;
            role?: string | null;
            /** @description Needed to change one's own email. */
            current_password?: string | null;
        };
        /** ValidationError */
        ValidationError: {
            loc: (string | number)[];
            msg: string;
            type: string;
            /** @description The offending input value (any JSON value). */
            input: unknown;
            /** @description Extra context about the error. */
            ctx?: Record<string, never>;
            /** @description Link to the error type's documentation. */
            url?: string;
        };
        /** VerifyEmailRequest */
        VerifyEmailRequest: {
            token: string;
        };
        /**
         * UserResponse
         * @description Schema for user data response (without sensitive information).
         */
        app__schemas__auth__UserResponse: {
            id: string;
            name: string;
            /** Format: email */
            email: string;
            status: boolean;
            /** @description The user's role ids, joined by commas. */
            role: string;
            auth: components["schemas"]["AuthInfo"];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** @description The user's roles (the `role` field carries their ids joined by commas). */
            roles: components["schemas"]["RoleRef"][];
        };
        /** UserResponse */
        app__schemas__user__UserResponse: {
            name: string;
            /** Format: email */
            email: string;
            /** @default true */
            status: boolean;
            /** @description The user's role ids, joined by commas. */
            role: string;
            id: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** @description The user's roles (the `role` field carries their ids joined by commas). */
            roles: components["schemas"]["RoleRef"][];
        };
        /**
         * ErrorCode
         * @description Every `code` an error answer can carry. 422 answers are lists of problems and carry no code; a 500 says only `Internal Server Error`.
         *
         *     | code | status | meaning |
         *     | --- | --- | --- |
         *     | `bad_request` | 400 | The request is malformed at the HTTP level (for example two different `Content-Length` headers). |
         *     | `body_unreadable` | 400 | The request body could not be read (the connection broke or timed out). |
         *     | `malformed_upload` | 400 | The upload was interrupted or is not valid `multipart/form-data`. |
         *     | `invalid_or_expired_token` | 400 | The password-reset or email-verification token is unknown, used or expired. |
         *     | `invalid_password` | 400 | `current_password` is wrong; it counts as a failed login. |
         *     | `ambiguous_framing` | 400 | The request has two different `Content-Length` headers, or `Content-Length` with `Transfer-Encoding` (RFC 9112 §6.3): it is refused and the connection closed. |
         *     | `upload_length_missing` | 400 | A tus upload was created without `Upload-Length`. |
         *     | `upload_length_invalid` | 400 | `Upload-Length` is not a non-negative integer. |
         *     | `upload_offset_missing` | 400 | A `PATCH` of an upload came without `Upload-Offset`. |
         *     | `upload_offset_invalid` | 400 | `Upload-Offset` is not a non-negative integer. |
         *     | `upload_defer_length_unsupported` | 400 | `Upload-Defer-Length` is not supported: the size is given at creation. |
         *     | `upload_metadata_invalid` | 400 | `Upload-Metadata` is not comma-separated pairs of a key and a base64 value, each key once. |
         *     | `checksum_algorithm_unsupported` | 400 | `Upload-Checksum` names another algorithm than `sha256`. |
         *     | `checksum_invalid` | 400 | `Upload-Checksum`'s digest is not 32 bytes in base64. |
         *     | `not_authenticated` | 401 | No bearer token was sent, or the account it names no longer exists. |
         *     | `invalid_token` | 401 | The access token is malformed, expired, revoked or signed by an unknown key. |
         *     | `invalid_credentials` | 401 | Wrong email or password (the same answer for unknown emails). |
         *     | `invalid_refresh_token` | 401 | The refresh token is unknown or expired, or its session ended. |
         *     | `refresh_token_reused` | 401 | A refresh token rotated away longer than `REFRESH_REUSE_INTERVAL` ago was presented: the session is revoked (possible theft). |
         *     | `forbidden` | 403 | The caller may not do this. |
         *     | `module_forbidden` | 403 | None of the caller's roles is listed in the module this route belongs to. |
         *     | `account_disabled` | 403 | The account is disabled (`status: false`). |
         *     | `role_not_self_assignable` | 403 | A public signup asked for a role that is not self-assignable. |
         *     | `forbidden_user_field` | 403 | Changing `status` or `role` needs the `users` module. |
         *     | `not_allowed` | 403 | The caller may not do this to that resource. |
         *     | `not_community_admin` | 403 | Only the community's administrators (or global admins) may do this. |
         *     | `community_members_only` | 403 | Only the community's members may do this. |
         *     | `not_requester` | 403 | Only the user who asked may withdraw a join request. |
         *     | `not_community_member` | 403 | The caller is not a member of the community named. |
         *     | `grant_required` | 403 | The dataset is restricted: its file needs an active grant (request access). |
         *     | `not_decider` | 403 | Only the dataset's owner, its community's administrators and administrators decide on access to it. |
         *     | `not_allowed_to_revoke` | 403 | Only the grantee, the dataset's owner, its community's administrators and administrators revoke a grant. |
         *     | `download_link_invalid` | 403 | The download link was altered or is not one. |
         *     | `download_link_expired` | 403 | The download link has expired: ask for a new one. |
         *     | `download_link_revoked` | 403 | The user the download link was made for may no longer download the file. |
         *     | `not_found` | 404 | Nothing matches the path. |
         *     | `user_not_found` | 404 | No such user (also for a malformed id). |
         *     | `session_not_found` | 404 | No such session of the caller. |
         *     | `role_not_found` | 404 | No such role. |
         *     | `role_not_assigned` | 404 | The user does not hold this role. |
         *     | `module_not_found` | 404 | No such role-base module. |
         *     | `community_not_found` | 404 | No such community, or one the caller may not see. |
         *     | `member_not_found` | 404 | The user is not a member of this community. |
         *     | `join_request_not_found` | 404 | No such join request. |
         *     | `logo_not_found` | 404 | The community has no logo. |
         *     | `dataset_not_found` | 404 | No such dataset, or one the caller may not see. |
         *     | `version_not_found` | 404 | The dataset has no such version. |
         *     | `blob_not_found` | 404 | The stored file is gone. |
         *     | `terms_not_found` | 404 | The community has no such terms (or none yet). |
         *     | `access_request_not_found` | 404 | No such access request. |
         *     | `grant_not_found` | 404 | No such grant. |
         *     | `upload_not_found` | 404 | The upload does not exist, ended, or is another user's. |
         *     | `upload_expired` | 404 | The upload expired before its last byte; its bytes are deleted. |
         *     | `method_not_allowed` | 405 | The path exists, the method does not. |
         *     | `request_timeout` | 408 | The request was not received in time. |
         *     | `conflict` | 409 | The change conflicts with a unique value. |
         *     | `concurrent_update` | 409 | The record was changed concurrently; try again. |
         *     | `email_taken` | 409 | The email address is registered already. |
         *     | `email_already_verified` | 409 | The email address is verified already. |
         *     | `role_exists` | 409 | A role of that name exists (names are case-insensitive). |
         *     | `role_already_assigned` | 409 | The user holds this role already. |
         *     | `module_exists` | 409 | A module of that name exists. |
         *     | `admin_role_immutable` | 409 | The built-in admin role can be neither deleted nor renamed. |
         *     | `last_admin` | 409 | The last administrator cannot lose the admin role. |
         *     | `community_name_taken` | 409 | A community of that name exists (names are case-insensitive). |
         *     | `already_member` | 409 | The user is a member of the community already. |
         *     | `last_community_admin` | 409 | The last administrator of a community cannot leave it or be removed. |
         *     | `community_has_datasets` | 409 | The community still holds datasets. |
         *     | `join_request_pending` | 409 | A join request of this user is pending already. |
         *     | `join_request_not_pending` | 409 | The join request was decided or withdrawn already. |
         *     | `version_conflict` | 409 | The dataset was changed concurrently; try again. |
         *     | `not_restricted` | 409 | Access is requested only to a restricted dataset. |
         *     | `already_allowed` | 409 | The caller may already download the dataset. |
         *     | `terms_outdated` | 409 | The accepted terms version is not the community's current one. |
         *     | `access_request_pending` | 409 | The caller already has a pending access request for the dataset. |
         *     | `access_request_not_pending` | 409 | The access request was decided or withdrawn already. |
         *     | `grant_exists` | 409 | The access request has its grant already. |
         *     | `grant_not_active` | 409 | The grant has ended or was revoked already. |
         *     | `terms_version_taken` | 409 | Terms of this version were published at the same moment; try again. |
         *     | `upload_offset_mismatch` | 409 | `Upload-Offset` is not the upload's offset: ask `HEAD` and go on from there. |
         *     | `tus_version_unsupported` | 412 | The request is not tus 1.0.0 (`Tus-Resumable`). |
         *     | `body_too_large` | 413 | The request body is larger than the route accepts. |
         *     | `file_too_large` | 413 | The file is larger than `MAX_UPLOAD_BYTES`; nothing was kept. |
         *     | `logo_too_large` | 413 | The logo is larger than 2 MiB. |
         *     | `upload_length_exceeded` | 413 | The piece goes past the upload's `Upload-Length`. |
         *     | `unsupported_media_type` | 415 | The body's `Content-Type` is not one the route takes. |
         *     | `unsupported_logo_type` | 415 | The logo is not a PNG, JPEG or WebP image. |
         *     | `range_not_satisfiable` | 416 | The `Range` asked for lies outside the file. |
         *     | `account_locked` | 423 | Too many failed logins: the account is locked; `Retry-After` says for how long. |
         *     | `upload_locked` | 423 | Another request is writing the upload; try again shortly. |
         *     | `rate_limited` | 429 | Too many requests from this address or for this account; `Retry-After` says when to try again. |
         *     | `checksum_mismatch` | 460 | The piece does not match its `Upload-Checksum` (tus's 460); nothing of it counts. |
         *     | `database_unavailable` | 503 | The database (or the blob store) does not answer; `Retry-After` says when to try again. |
         *     | `shutting_down` | 503 | The instance is stopping; another one answers. |
         *     | `http_error` | 4xx | Any other client error raised by the HTTP layer itself. |
         * @enum {string}
         */
        ErrorCode: "bad_request" | "body_unreadable" | "malformed_upload" | "invalid_or_expired_token" | "invalid_password" | "ambiguous_framing" | "upload_length_missing" | "upload_length_invalid" | "upload_offset_missing" | "upload_offset_invalid" | "upload_defer_length_unsupported" | "upload_metadata_invalid" | "checksum_algorithm_unsupported" | "checksum_invalid" | "not_authenticated" | "invalid_token" | "invalid_credentials" | "invalid_refresh_token" | "refresh_token_reused" | "forbidden" | "module_forbidden" | "account_disabled" | "role_not_self_assignable" | "forbidden_user_field" | "not_allowed" | "not_community_admin" | "community_members_only" | "not_requester" | "not_community_member" | "grant_required" | "not_decider" | "not_allowed_to_revoke" | "download_link_invalid" | "download_link_expired" | "download_link_revoked" | "not_found" | "user_not_found" | "session_not_found" | "role_not_found" | "role_not_assigned" | "module_not_found" | "community_not_found" | "member_not_found" | "join_request_not_found" | "logo_not_found" | "dataset_not_found" | "version_not_found" | "blob_not_found" | "terms_not_found" | "access_request_not_found" | "grant_not_found" | "upload_not_found" | "upload_expired" | "method_not_allowed" | "request_timeout" | "conflict" | "concurrent_update" | "email_taken" | "email_already_verified" | "role_exists" | "role_already_assigned" | "module_exists" | "admin_role_immutable" | "last_admin" | "community_name_taken" | "already_member" | "last_community_admin" | "community_has_datasets" | "join_request_pending" | "join_request_not_pending" | "version_conflict" | "not_restricted" | "already_allowed" | "terms_outdated" | "access_request_pending" | "access_request_not_pending" | "grant_exists" | "grant_not_active" | "terms_version_taken" | "upload_offset_mismatch" | "tus_version_unsupported" | "body_too_large" | "file_too_large" | "logo_too_large" | "upload_length_exceeded" | "unsupported_media_type" | "unsupported_logo_type" | "range_not_satisfiable" | "account_locked" | "upload_locked" | "rate_limited" | "checksum_mismatch" | "database_unavailable" | "shutting_down" | "http_error";
        /**
         * InternalError
         * @description A 500: the log has the cause, under the request id.
         */
        InternalError: {
            /** @constant */
            detail: "Internal Server Error";
        };
        /**
         * AddUserToCommunityRequest
         * @description The user to add. `community_id` is the path's; when sent it must match it. `added_at`, which the seed's body carried, is ignored.
         */
        AddUserToCommunityRequest: {
            user_id: string;
            /** @description When sent, must equal the path's `community_id`. */
            community_id?: string;
            /**
             * @default member
             * @enum {string}
             */
            role: "member" | "admin";
            /**
             * Format: date-time
             * @deprecated
             * @description Ignored (the seed's clients send it).
             */
            added_at?: string;
        };
        /**
         * RoleHolder
         * @description A user who holds the role: the user's id and name.
         */
        RoleHolder: {
            id: string;
            name: string;
        };
        /** LivenessResponse */
        LivenessResponse: {
            /** @enum {string} */
            status: "ok";
            /** @description The running build's version (`dev` for a build without one). */
            version: string;
        };
        /** DownloadLinkRequest */
        DownloadLinkRequest: {
            /**
             * Version
             * @description Version to link to (default: the current one).
             */
            version?: number | null;
        };
        /** DownloadLink */
        DownloadLink: {
            /**
             * Url
             * @description Downloads the file without an `Authorization` header (an `<a href>` works), with `Range` and `ETag` as `GET /datasets/{id}/download`, until `expires_at`.
             */
            url: string;
            /**
             * Expires At
             * Format: date-time
             */
            expires_at: string;
        };
    };
    responses: {
        /** @description Bad request or invalid token */
        BadRequest: {
            headers: {
                "X-Request-ID": components["headers"]["X-Request-ID"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Not authenticated */
        Unauthorized: {
            headers: {
                "X-Request-ID": components["headers"]["X-Request-ID"];
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Invalid credentials or token */
        InvalidCredentials: {
            headers: {
                "X-Request-ID": components["headers"]["X-Request-ID"];
                /** @description The authentication scheme: `Bearer`. */
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Not allowed */
        Forbidden: {
            headers: {
                "X-Request-ID": components["headers"]["X-Request-ID"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Not found (also for resources the caller may not see, and for malformed ids) */
        NotFound: {
            headers: {
                "X-Request-ID": components["headers"]["X-Request-ID"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Conflict */
        Conflict: {
            headers: {
                "X-Request-ID": components["headers"]["X-Request-ID"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Request body too large */
        PayloadTooLarge: {
            headers: {
                "X-Request-ID": components["headers"]["X-Request-ID"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Unsupported media type */
        UnsupportedMediaType: {
            headers: {
                "X-Request-ID": components["headers"]["X-Request-ID"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Account locked */
        Locked: {
            headers: {
                "X-Request-ID": components["headers"]["X-Request-ID"];
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Rate limited */
        TooManyRequests: {
            headers: {
                "X-Request-ID": components["headers"]["X-Request-ID"];
                "Retry-After": components["headers"]["Retry-After"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Range not satisfiable */
        RangeNotSatisfiable: {
            headers: {
                "X-Request-ID": components["headers"]["X-Request-ID"];
                /** @description `bytes *\/<size>`: the size of the file. */
                "Content-Range"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Internal Server Error */
        InternalServerError: {
            headers: {
                "X-Request-ID": components["headers"]["X-Request-ID"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["InternalError"];
            };
        };
        /** @description Service unavailable (database or blob store unreachable) */
        ServiceUnavailable: {
            headers: {
                "X-Request-ID": components["headers"]["X-Request-ID"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description The request id (echoed when the client sent one). */
        "X-Request-ID": string;
        /** @description The authentication scheme: `Bearer`. */
        "WWW-Authenticate": string;
        /** @description Seconds to wait before trying again. */
        "Retry-After": number;
        /** @description Number of items matching the query, ignoring skip and limit. */
        "X-Total-Count": number;
        /** @description Requests the route's limit allows at once (per client address; per account for the limit that refused a 429). */
        "RateLimit-Limit": number;
        /** @description Requests still allowed now. */
        "RateLimit-Remaining": number;
        /** @description Seconds until the whole limit is available again (the limit slides: one request comes back every window/count). */
        "RateLimit-Reset": number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    signup_api_v1_auth_signup_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserSignup"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["app__schemas__auth__UserResponse"];
                };
            };
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    login_api_v1_auth_login_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserLogin"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResponse"];
                };
            };
            401: components["responses"]["InvalidCredentials"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            423: components["responses"]["Locked"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    refresh_token_api_v1_auth_refresh_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshTokenRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            401: components["responses"]["InvalidCredentials"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    logout_api_v1_auth_logout_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    logout_all_api_v1_auth_logout_all_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    me_api_v1_auth_me_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["app__schemas__auth__UserResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    verify_email_api_v1_auth_verify_email_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VerifyEmailRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    resend_verification_api_v1_auth_resend_verification_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    change_password_api_v1_auth_change_password_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangePasswordRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            423: components["responses"]["Locked"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    password_reset_request_api_v1_auth_password_reset_request_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordResetRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    password_reset_api_v1_auth_password_reset_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordReset"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    list_sessions_api_v1_auth_sessions_get: {
        parameters: {
            query?: {
                /** @description Page number for pagination */
                page?: number;
                /** @description Number of items per page */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionListResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    revoke_session_api_v1_auth_sessions__session_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    get_users_api_v1_users__get: {
        parameters: {
            query?: {
                skip?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    "X-Total-Count": components["headers"]["X-Total-Count"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["app__schemas__user__UserResponse"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    get_user_api_v1_users__user_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["app__schemas__user__UserResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    update_user_api_v1_users__user_id__put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["app__schemas__user__UserResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            423: components["responses"]["Locked"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    delete_user_api_v1_users__user_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    add_user_to_community_api_v1_users_add_to_community__community_id__post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                community_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddUserToCommunityRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AddUserToCommunityResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    get_user_communities_api_v1_users__user_id__communities_get: {
        parameters: {
            query?: {
                /** @description Page number for pagination */
                page?: number;
                /** @description Number of items per page */
                limit?: number;
            };
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommunityListResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    get_all_user_roles_api_v1_user_roles__get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRoleResponse"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    create_user_role_api_v1_user_roles__post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserRoleCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRoleResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    get_user_roles_by_user_api_v1_user_roles_user__user_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRoleResponse"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    get_user_roles_by_role_api_v1_user_roles_role__role_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                role_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleHolder"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    update_user_role_api_v1_user_roles__user_role_id__put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_role_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserRoleCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRoleResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    delete_user_role_api_v1_user_roles__user_role_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_role_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    add_user_role_by_user_and_role_api_v1_user_roles_user__user_id__role__role_id__post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
                role_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRoleResponse"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    delete_user_role_by_user_and_role_api_v1_user_roles_user__user_id__role__role_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
                role_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    list_role_base_modules_api_v1_role_base_modules__get: {
        parameters: {
            query?: {
                /** @description Filter by module name (partial match) */
                module_name?: string | null;
                /** @description Filter by user role ID */
                user_role_id?: string | null;
                /** @description Page number for pagination */
                page?: number;
                /** @description Number of items per page */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleBaseModuleListResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    create_role_base_module_api_v1_role_base_modules__post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RoleBaseModuleCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleBaseModuleResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    get_role_base_module_by_id_api_v1_role_base_modules__module_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description ID of the role base module */
                module_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleBaseModuleResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    update_role_base_module_api_v1_role_base_modules__module_id__put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description ID of the role base module to update */
                module_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RoleBaseModuleUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleBaseModuleResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    delete_role_base_module_api_v1_role_base_modules__module_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description ID of the role base module to delete */
                module_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    add_user_roles_to_module_api_v1_role_base_modules__module_id__add_roles_put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description ID of the role base module to update */
                module_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RoleBaseModuleUserRoleOperation"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleBaseModuleResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    remove_user_roles_from_module_api_v1_role_base_modules__module_id__remove_roles_put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description ID of the role base module to update */
                module_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RoleBaseModuleUserRoleOperation"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleBaseModuleResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    check_access_api_v1_access_check_get: {
        parameters: {
            query: {
                /** @description Module name */
                module: string;
                /** @description User to check (default: the caller); checking another user needs the `users` module */
                user_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessCheckResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    list_communities_api_v1_communities__get: {
        parameters: {
            query?: {
                /** @description Filter by name (partial, case-insensitive) */
                q?: string;
                /** @description Page number for pagination */
                page?: number;
                /** @description Number of items per page */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommunityListResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    create_community_api_v1_communities__post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommunityCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommunityResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    get_community_api_v1_communities__community_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                community_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommunityResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    update_community_api_v1_communities__community_id__put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                community_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommunityUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommunityResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    delete_community_api_v1_communities__community_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                community_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    get_community_logo_api_v1_communities__community_id__logo_get: {
        parameters: {
            query?: never;
            header?: {
                /** @description An ETag from an earlier answer: 304 when the logo is unchanged. */
                "If-None-Match"?: string;
            };
            path: {
                community_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    /** @description The SHA-256 of the logo, quoted (a strong validator). */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "image/png": Blob;
                    "image/jpeg": Blob;
                    "image/webp": Blob;
                };
            };
            /** @description Not Modified */
            304: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    /** @description The SHA-256 of the logo, quoted (a strong validator). */
                    ETag: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    upload_community_logo_api_v1_communities__community_id__logo_put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                community_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["CommunityLogoUpload"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommunityResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    list_community_members_api_v1_communities__community_id__members_get: {
        parameters: {
            query?: {
                /** @description Page number for pagination */
                page?: number;
                /** @description Number of items per page */
                limit?: number;
            };
            header?: never;
            path: {
                community_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommunityMemberListResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    add_community_member_api_v1_communities__community_id__members_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                community_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommunityMemberCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommunityMember"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    remove_community_member_api_v1_communities__community_id__members__user_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                community_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    list_join_requests_api_v1_communities__community_id__join_requests_get: {
        parameters: {
            query?: {
                /** @description Only requests in this status */
                status?: "pending" | "approved" | "rejected" | "withdrawn";
                /** @description Page number for pagination */
                page?: number;
                /** @description Number of items per page */
                limit?: number;
            };
            header?: never;
            path: {
                community_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommunityJoinRequestListResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    create_join_request_api_v1_communities__community_id__join_requests_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                community_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CommunityJoinRequestInput"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommunityJoinRequest"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    approve_join_request_api_v1_communities__community_id__join_requests__request_id__approve_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                community_id: string;
                request_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommunityJoinRequest"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    reject_join_request_api_v1_communities__community_id__join_requests__request_id__reject_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                community_id: string;
                request_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CommunityJoinRequestReject"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommunityJoinRequest"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    withdraw_join_request_api_v1_communities__community_id__join_requests__request_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                community_id: string;
                request_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    create_shared_file_api_v1_datasets_create_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["Body_create_shared_file_api_v1_datasets_create_post"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    list_datasets_api_v1_datasets__get: {
        parameters: {
            query?: {
                /** @description Search title and description (case-insensitive) */
                q?: string;
                community_id?: string;
                owner_id?: string;
                tag?: string;
                visibility?: "public" | "community" | "restricted" | "private";
                /** @description Page number for pagination */
                page?: number;
                /** @description Number of items per page */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetListResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    get_dataset_api_v1_datasets__dataset_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    update_dataset_api_v1_datasets__dataset_id__put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DatasetUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    delete_dataset_api_v1_datasets__dataset_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    download_dataset_api_v1_datasets__dataset_id__download_get: {
        parameters: {
            query?: {
                /** @description Version to download (default: the latest) */
                version?: number;
            };
            header?: {
                Range?: string;
                "If-None-Match"?: string;
            };
            path: {
                dataset_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    "Content-Length"?: number;
                    /** @description `attachment` with an RFC 6266 `filename*`. */
                    "Content-Disposition"?: string;
                    /** @description The SHA-256 of the content, quoted. */
                    ETag?: string;
                    "Accept-Ranges"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": Blob;
                    "*/*": unknown;
                };
            };
            /** @description Partial Content */
            206: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    "Content-Length"?: number;
                    /** @description `attachment` with an RFC 6266 `filename*`. */
                    "Content-Disposition"?: string;
                    /** @description The SHA-256 of the content, quoted. */
                    ETag?: string;
                    "Accept-Ranges"?: string;
                    "Content-Range"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": Blob;
                    "*/*": unknown;
                };
            };
            /** @description Not Modified */
            304: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    /** @description The SHA-256 of the content, quoted. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            416: components["responses"]["RangeNotSatisfiable"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    replace_dataset_file_api_v1_datasets__dataset_id__file_put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["DatasetFileUpload"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    list_dataset_versions_api_v1_datasets__dataset_id__versions_get: {
        parameters: {
            query?: {
                /** @description Page number for pagination */
                page?: number;
                /** @description Number of items per page */
                limit?: number;
            };
            header?: never;
            path: {
                dataset_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetVersionListResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    get_dataset_access_log_api_v1_datasets__dataset_id__access_log_get: {
        parameters: {
            query?: {
                /** @description Page number for pagination */
                page?: number;
                /** @description Number of items per page */
                limit?: number;
            };
            header?: never;
            path: {
                dataset_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEventListResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    list_terms_api_v1_communities__community_id__terms_get: {
        parameters: {
            query?: {
                /** @description Page number for pagination */
                page?: number;
                /** @description Number of items per page */
                limit?: number;
            };
            header?: never;
            path: {
                community_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TermsListResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    publish_terms_api_v1_communities__community_id__terms_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                community_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TermsCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Terms"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    current_terms_api_v1_communities__community_id__terms_current_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                community_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Terms"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    list_access_requests_api_v1_datasets__dataset_id__access_requests_get: {
        parameters: {
            query?: {
                /** @description Only requests in this status */
                status?: "pending" | "approved" | "rejected" | "withdrawn";
                /** @description Page number for pagination */
                page?: number;
                /** @description Number of items per page */
                limit?: number;
            };
            header?: never;
            path: {
                dataset_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequestListResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    create_access_request_api_v1_datasets__dataset_id__access_requests_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AccessRequestCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequest"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    withdraw_access_request_api_v1_datasets__dataset_id__access_requests__request_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset_id: string;
                request_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    approve_access_request_api_v1_datasets__dataset_id__access_requests__request_id__approve_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset_id: string;
                request_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AccessRequestApprove"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequest"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    reject_access_request_api_v1_datasets__dataset_id__access_requests__request_id__reject_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset_id: string;
                request_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AccessRequestReject"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequest"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    list_my_access_requests_api_v1_access_requests_get: {
        parameters: {
            query?: {
                /** @description Only requests in this status */
                status?: "pending" | "approved" | "rejected" | "withdrawn";
                /** @description Page number for pagination */
                page?: number;
                /** @description Number of items per page */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequestListResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    list_dataset_grants_api_v1_datasets__dataset_id__grants_get: {
        parameters: {
            query?: {
                /** @description Only grants in this status now */
                status?: "active" | "expired" | "revoked";
                /** @description Page number for pagination */
                page?: number;
                /** @description Number of items per page */
                limit?: number;
            };
            header?: never;
            path: {
                dataset_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GrantListResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    list_my_grants_api_v1_grants_get: {
        parameters: {
            query?: {
                /** @description Only grants in this status now */
                status?: "active" | "expired" | "revoked";
                /** @description Page number for pagination */
                page?: number;
                /** @description Number of items per page */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GrantListResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    revoke_grant_api_v1_grants__grant_id__revoke_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                grant_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GrantRevoke"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Grant"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    list_data_uses_api_v1_register_data_uses_get: {
        parameters: {
            query?: {
                /** @description Only grants in this status now */
                status?: "active" | "expired" | "revoked";
                community_id?: string;
                /** @description Page number for pagination */
                page?: number;
                /** @description Number of items per page */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataUseListResponse"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    list_audit_events_api_v1_audit_events_get: {
        parameters: {
            query?: {
                actor_id?: string;
                action?: string;
                target_type?: string;
                target_id?: string;
                since?: string;
                until?: string;
                /** @description Page number for pagination */
                page?: number;
                /** @description Number of items per page */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEventListResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    verify_audit_events_api_v1_audit_events_verify_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerifyResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    healthz_healthz_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LivenessResponse"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    readyz_readyz_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthResponse"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    openapi_api_v1_openapi_json_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    jwks__well_known_jwks_json_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JWKS"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    create_upload_api_v1_uploads__post: {
        parameters: {
            query?: never;
            header: {
                /** @description The tus version: `1.0.0`. */
                "Tus-Resumable": "1.0.0";
                /** @description The file's size in bytes. */
                "Upload-Length": number;
                /** @description Comma-separated `key base64(value)` pairs: `filename` (the file's name; default `upload`), `filetype` (the type the client declares; the stored type is sniffed as for `POST /datasets/create`), then either the create form's fields `title`, `description`, `community_id`, `visibility`, `tags`, `license` (a new dataset), or `dataset_id` (a new version of that dataset). */
                "Upload-Metadata"?: string;
                /** @description `sha256 <base64 digest>` of this request's bytes: a piece that does not match counts for nothing (460). */
                "Upload-Checksum"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/offset+octet-stream": Blob;
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    /** @description `1.0.0`: the tus version of the answer. */
                    "Tus-Resumable": string;
                    /** @description The upload's path, `/api/v1/uploads/{upload_id}`: the URL of its `HEAD`, `PATCH` and `DELETE`. */
                    Location: string;
                    /** @description How many bytes of the upload the server holds: the next `PATCH` starts there. */
                    "Upload-Offset": number;
                    /** @description While the upload is unfinished: when it expires (RFC 9110 HTTP-date, `UPLOAD_EXPIRY` after its creation); its bytes are deleted then. */
                    "Upload-Expires"?: string;
                    /** @description Once the last byte arrived: the id of the dataset the upload created, or of which it is the new version. */
                    "Dataset-Id"?: string;
                    /** @description Once the last byte arrived: the dataset's path, `/api/v1/datasets/{id}`. */
                    "Dataset-Location"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Precondition Failed: not tus 1.0.0 (`Tus-Version` lists the versions supported). */
            412: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    /** @description The tus versions the server speaks: `1.0.0`. */
                    "Tus-Version": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description Checksum Mismatch: the bytes do not match `Upload-Checksum`; nothing of them counts. */
            460: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    tus_options_api_v1_uploads__options: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    /** @description `1.0.0` */
                    "Tus-Resumable"?: string;
                    /** @description `1.0.0` */
                    "Tus-Version"?: string;
                    /** @description `creation,creation-with-upload,termination,expiration,checksum` */
                    "Tus-Extension"?: string;
                    /** @description The largest upload, `MAX_UPLOAD_BYTES`. */
                    "Tus-Max-Size"?: number;
                    /** @description `sha256` */
                    "Tus-Checksum-Algorithm"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    terminate_upload_api_v1_uploads__upload_id__delete: {
        parameters: {
            query?: never;
            header: {
                /** @description The tus version: `1.0.0`. */
                "Tus-Resumable": "1.0.0";
            };
            path: {
                upload_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    /** @description `1.0.0`: the tus version of the answer. */
                    "Tus-Resumable": string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Precondition Failed: not tus 1.0.0 (`Tus-Version` lists the versions supported). */
            412: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    /** @description The tus versions the server speaks: `1.0.0`. */
                    "Tus-Version": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description Another request is writing this upload (it is asked to stop); try again shortly. */
            423: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    tus_upload_options_api_v1_uploads__upload_id__options: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                upload_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    /** @description `1.0.0` */
                    "Tus-Resumable"?: string;
                    /** @description `1.0.0` */
                    "Tus-Version"?: string;
                    /** @description `creation,creation-with-upload,termination,expiration,checksum` */
                    "Tus-Extension"?: string;
                    /** @description The largest upload, `MAX_UPLOAD_BYTES`. */
                    "Tus-Max-Size"?: number;
                    /** @description `sha256` */
                    "Tus-Checksum-Algorithm"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["NotFound"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    upload_status_api_v1_uploads__upload_id__head: {
        parameters: {
            query?: never;
            header: {
                /** @description The tus version: `1.0.0`. */
                "Tus-Resumable": "1.0.0";
            };
            path: {
                upload_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    /** @description `1.0.0`: the tus version of the answer. */
                    "Tus-Resumable": string;
                    /** @description How many bytes of the upload the server holds: the next `PATCH` starts there. */
                    "Upload-Offset": number;
                    /** @description The upload's size. */
                    "Upload-Length": number;
                    /** @description The `Upload-Metadata` it was created with. */
                    "Upload-Metadata"?: string;
                    /** @description While the upload is unfinished: when it expires (RFC 9110 HTTP-date, `UPLOAD_EXPIRY` after its creation); its bytes are deleted then. */
                    "Upload-Expires"?: string;
                    /** @description Once the last byte arrived: the id of the dataset the upload created, or of which it is the new version. */
                    "Dataset-Id"?: string;
                    /** @description Once the last byte arrived: the dataset's path, `/api/v1/datasets/{id}`. */
                    "Dataset-Location"?: string;
                    /** @description `no-store` */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Precondition Failed: not tus 1.0.0 (`Tus-Version` lists the versions supported). */
            412: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    /** @description The tus versions the server speaks: `1.0.0`. */
                    "Tus-Version": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    append_to_upload_api_v1_uploads__upload_id__patch: {
        parameters: {
            query?: never;
            header: {
                /** @description The tus version: `1.0.0`. */
                "Tus-Resumable": "1.0.0";
                /** @description Where the body starts. */
                "Upload-Offset": number;
                /** @description `sha256 <base64 digest>` of this request's bytes: a piece that does not match counts for nothing (460). */
                "Upload-Checksum"?: string;
            };
            path: {
                upload_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/offset+octet-stream": Blob;
            };
        };
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    /** @description `1.0.0`: the tus version of the answer. */
                    "Tus-Resumable": string;
                    /** @description How many bytes of the upload the server holds: the next `PATCH` starts there. */
                    "Upload-Offset": number;
                    /** @description While the upload is unfinished: when it expires (RFC 9110 HTTP-date, `UPLOAD_EXPIRY` after its creation); its bytes are deleted then. */
                    "Upload-Expires"?: string;
                    /** @description Once the last byte arrived: the id of the dataset the upload created, or of which it is the new version. */
                    "Dataset-Id"?: string;
                    /** @description Once the last byte arrived: the dataset's path, `/api/v1/datasets/{id}`. */
                    "Dataset-Location"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Conflict: `Upload-Offset` is not the upload's offset. */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Precondition Failed: not tus 1.0.0 (`Tus-Version` lists the versions supported). */
            412: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    /** @description The tus versions the server speaks: `1.0.0`. */
                    "Tus-Version": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description Another request is writing this upload (it is asked to stop); try again shortly. */
            423: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Checksum Mismatch: the bytes do not match `Upload-Checksum`; nothing of them counts. */
            460: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    create_download_link_api_v1_datasets__dataset_id__download_link_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["DownloadLinkRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    /** @description `no-store`: the URL is a credential. */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadLink"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    follow_download_link_api_v1_download_links__token__get: {
        parameters: {
            query?: never;
            header?: {
                Range?: string;
                "If-None-Match"?: string;
            };
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    "Content-Length"?: number;
                    /** @description `attachment` with an RFC 6266 `filename*`. */
                    "Content-Disposition"?: string;
                    /** @description The SHA-256 of the content, quoted. */
                    ETag?: string;
                    "Accept-Ranges"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": Blob;
                    "*/*": unknown;
                };
            };
            /** @description Partial Content */
            206: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    "Content-Length"?: number;
                    /** @description `attachment` with an RFC 6266 `filename*`. */
                    "Content-Disposition"?: string;
                    /** @description The SHA-256 of the content, quoted. */
                    ETag?: string;
                    "Accept-Ranges"?: string;
                    "Content-Range"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": Blob;
                    "*/*": unknown;
                };
            };
            /** @description Not Modified */
            304: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    /** @description The SHA-256 of the content, quoted. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The link is altered, expired, or its user may no longer download the file. */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            404: components["responses"]["NotFound"];
            416: components["responses"]["RangeNotSatisfiable"];
            /** @description Validation Error */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["X-Request-ID"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
