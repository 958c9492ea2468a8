package io.tributary.server.security.authz;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.acl.CreateAclsRequest;
import io.tributary.protocol.message.acl.CreateAclsRequest.AclCreation;
import io.tributary.protocol.message.acl.CreateAclsResponse;
import io.tributary.protocol.message.acl.CreateAclsResponse.AclCreationResult;
import io.tributary.protocol.message.acl.DeleteAclsRequest;
import io.tributary.protocol.message.acl.DeleteAclsRequest.DeleteAclsFilter;
import io.tributary.protocol.message.acl.DeleteAclsResponse;
import io.tributary.protocol.message.acl.DeleteAclsResponse.DeleteAclsFilterResult;
import io.tributary.protocol.message.acl.DeleteAclsResponse.DeleteAclsMatchingAcl;
import io.tributary.protocol.message.acl.DescribeAclsRequest;
import io.tributary.protocol.message.acl.DescribeAclsResponse;
import io.tributary.protocol.message.acl.DescribeAclsResponse.AclDescription;
import io.tributary.protocol.message.acl.DescribeAclsResponse.DescribeAclsResource;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.api.ApiResponse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * CreateAcls, DescribeAcls and DeleteAcls (v1-3), what Kafka's Admin and {@code kafka-acls} send. Without an authorizer
 * every answer is SECURITY_DISABLED, as Kafka answers. Describing needs DESCRIBE on the cluster, creating and deleting
 * ALTER (else CLUSTER_AUTHORIZATION_FAILED). A creation Kafka would refuse (a filter value such as ANY, a pattern other
 * than LITERAL or PREFIXED, a cluster name other than {@code kafka-cluster}, an empty name, a principal without a type)
 * is answered INVALID_REQUEST for that creation only; the others are stored together, in one change of the store.
 */
public final class AclApis {
    private static final String NO_AUTHORIZER = "No Authorizer is configured.";

    private AclApis() {
    }

    /** @param authorizer null when authorization is off */
    public static void register(ApiDispatcher dispatcher, Authorizer authorizer) {
        dispatcher.register(ApiKey.DESCRIBE_ACLS, (context, request) -> {
            Struct response = DescribeAclsResponse.SCHEMA.newStruct();
            if (authorizer == null) {
                return done(response.set(DescribeAclsResponse.ERROR_CODE, ErrorCode.SECURITY_DISABLED.code())
                    .set(DescribeAclsResponse.ERROR_MESSAGE, NO_AUTHORIZER));
            }
            if (!authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)) {
                return done(response.set(DescribeAclsResponse.ERROR_CODE, ErrorCode.CLUSTER_AUTHORIZATION_FAILED.code())
                    .set(DescribeAclsResponse.ERROR_MESSAGE, "Cluster authorization failed."));
            }
            return done(describe(authorizer.store(), request));
        });
        dispatcher.register(ApiKey.CREATE_ACLS, (context, request) -> {
            if (authorizer == null || !authorizer.authorize(context, AclOperation.ALTER, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)) {
                ErrorCode code = authorizer == null ? ErrorCode.SECURITY_DISABLED : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
                Struct response = CreateAclsResponse.SCHEMA.newStruct();
                for (int i = 0; i < request.get(CreateAclsRequest.CREATIONS).size(); i++) {
                    response.add(CreateAclsResponse.RESULTS).set(AclCreationResult.ERROR_CODE, code.code())
                        .set(AclCreationResult.ERROR_MESSAGE, authorizer == null ? NO_AUTHORIZER : "Cluster authorization failed.");
                }
                return done(response);
            }
            return CompletableFuture.supplyAsync(() -> ApiResponse.of(create(authorizer.store(), request)), context.ioExecutor());
        });
        dispatcher.register(ApiKey.DELETE_ACLS, (context, request) -> {
            if (authorizer == null || !authorizer.authorize(context, AclOperation.ALTER, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)) {
                ErrorCode code = authorizer == null ? ErrorCode.SECURITY_DISABLED : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
                Struct response = DeleteAclsResponse.SCHEMA.newStruct();
                for (int i = 0; i < request.get(DeleteAclsRequest.FILTERS).size(); i++) {
                    response.add(DeleteAclsResponse.FILTER_RESULTS).set(DeleteAclsFilterResult.ERROR_CODE, code.code())
                        .set(DeleteAclsFilterResult.ERROR_MESSAGE, authorizer == null ? NO_AUTHORIZER : "Cluster authorization failed.");
                }
                return done(response);
            }
            return CompletableFuture.supplyAsync(() -> ApiResponse.of(delete(authorizer.store(), request)), context.ioExecutor());
        });
    }

    private static CompletableFuture<ApiResponse> done(Struct response) {
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    static Struct describe(AclStore store, Struct request) {
        Struct response = DescribeAclsResponse.SCHEMA.newStruct();
        AclFilter filter = new AclFilter(ResourceType.of(request.get(DescribeAclsRequest.RESOURCE_TYPE_FILTER)),
            request.get(DescribeAclsRequest.RESOURCE_NAME_FILTER), PatternType.of(request.get(DescribeAclsRequest.PATTERN_TYPE_FILTER)),
            request.get(DescribeAclsRequest.PRINCIPAL_FILTER), request.get(DescribeAclsRequest.HOST_FILTER),
            AclOperation.of(request.get(DescribeAclsRequest.OPERATION)), AclPermission.of(request.get(DescribeAclsRequest.PERMISSION_TYPE)));
        String problem = filter.problem();
        if (problem != null) {
            return response.set(DescribeAclsResponse.ERROR_CODE, ErrorCode.INVALID_REQUEST.code())
                .set(DescribeAclsResponse.ERROR_MESSAGE, problem);
        }
        // Grouped by resource pattern, in a stable order so answers are reproducible.
        Map<String, List<AclBinding>> byResource = new TreeMap<>();
        for (AclBinding acl : store.all()) {
            if (filter.matches(acl)) {
                byResource.computeIfAbsent(acl.resourceType().code + "\0" + acl.patternType().code + "\0" + acl.resourceName(),
                    k -> new ArrayList<>()).add(acl);
            }
        }
        response.set(DescribeAclsResponse.ERROR_CODE, ErrorCode.NONE.code());
        for (List<AclBinding> acls : byResource.values()) {
            AclBinding first = acls.get(0);
            Struct resource = response.add(DescribeAclsResponse.RESOURCES)
                .set(DescribeAclsResource.RESOURCE_TYPE, first.resourceType().code)
                .set(DescribeAclsResource.RESOURCE_NAME, first.resourceName())
                .set(DescribeAclsResource.PATTERN_TYPE, first.patternType().code);
            acls.sort(Comparator.comparing(AclBinding::principal).thenComparing(AclBinding::host)
                .thenComparing(AclBinding::operation).thenComparing(AclBinding::permission));
            for (AclBinding acl : acls) {
                resource.add(DescribeAclsResource.ACLS).set(AclDescription.PRINCIPAL, acl.principal())
                    .set(AclDescription.HOST, acl.host()).set(AclDescription.OPERATION, acl.operation().code)
                    .set(AclDescription.PERMISSION_TYPE, acl.permission().code);
            }
        }
        return response;
    }

    static Struct create(AclStore store, Struct request) {
        Struct response = CreateAclsResponse.SCHEMA.newStruct();
        List<AclBinding> accepted = new ArrayList<>();
        for (Struct creation : request.get(CreateAclsRequest.CREATIONS)) {
            AclBinding acl = new AclBinding(ResourceType.of(creation.get(AclCreation.RESOURCE_TYPE)), creation.get(AclCreation.RESOURCE_NAME),
                PatternType.of(creation.get(AclCreation.RESOURCE_PATTERN_TYPE)), creation.get(AclCreation.PRINCIPAL),
                creation.get(AclCreation.HOST), AclOperation.of(creation.get(AclCreation.OPERATION)),
                AclPermission.of(creation.get(AclCreation.PERMISSION_TYPE)));
            String problem = problem(acl);
            Struct result = response.add(CreateAclsResponse.RESULTS);
            if (problem != null) {
                result.set(AclCreationResult.ERROR_CODE, ErrorCode.INVALID_REQUEST.code()).set(AclCreationResult.ERROR_MESSAGE, problem);
            } else {
                result.set(AclCreationResult.ERROR_CODE, ErrorCode.NONE.code()).set(AclCreationResult.ERROR_MESSAGE, null);
                accepted.add(acl);
            }
        }
        if (!accepted.isEmpty()) {
            store.apply(accepted, List.of());
        }
        return response;
    }

    /** Why Kafka would refuse to store {@code acl}, or null. */
    static String problem(AclBinding acl) {
        if (acl.resourceType() == ResourceType.UNKNOWN || acl.resourceType() == ResourceType.ANY) {
            return "Invalid resourceType " + acl.resourceType();
        }
        if (acl.patternType() != PatternType.LITERAL && acl.patternType() != PatternType.PREFIXED) {
            return "Invalid patternType " + acl.patternType();
        }
        if (acl.operation() == AclOperation.UNKNOWN || acl.operation() == AclOperation.ANY) {
            return "Invalid operation " + acl.operation();
        }
        if (acl.permission() == AclPermission.UNKNOWN || acl.permission() == AclPermission.ANY) {
            return "Invalid permissionType " + acl.permission();
        }
        if (acl.resourceName() == null || acl.resourceName().isEmpty()) {
            return "Invalid empty resource name specified";
        }
        if (acl.resourceType() == ResourceType.CLUSTER && !acl.resourceName().equals(ResourceType.CLUSTER_NAME)) {
            return "The only valid name for the CLUSTER resource is " + ResourceType.CLUSTER_NAME;
        }
        int colon = acl.principal() == null ? -1 : acl.principal().indexOf(':');
        if (colon <= 0 || colon == acl.principal().length() - 1) {
            return "Could not parse principal from `" + acl.principal() + "` (no colon is found separating principal type from name)";
        }
        if (acl.host() == null || acl.host().isEmpty()) {
            return "Invalid empty host";
        }
        return null;
    }

    static Struct delete(AclStore store, Struct request) {
        Struct response = DeleteAclsResponse.SCHEMA.newStruct();
        Set<AclBinding> current = store.all();
        Set<AclBinding> removed = new LinkedHashSet<>();
        List<Struct> results = new ArrayList<>();
        for (Struct f : request.get(DeleteAclsRequest.FILTERS)) {
            AclFilter filter = new AclFilter(ResourceType.of(f.get(DeleteAclsFilter.RESOURCE_TYPE_FILTER)),
                f.get(DeleteAclsFilter.RESOURCE_NAME_FILTER), PatternType.of(f.get(DeleteAclsFilter.PATTERN_TYPE_FILTER)),
                f.get(DeleteAclsFilter.PRINCIPAL_FILTER), f.get(DeleteAclsFilter.HOST_FILTER),
                AclOperation.of(f.get(DeleteAclsFilter.OPERATION)), AclPermission.of(f.get(DeleteAclsFilter.PERMISSION_TYPE)));
            Struct result = response.add(DeleteAclsResponse.FILTER_RESULTS);
            results.add(result);
            String problem = filter.problem();
            if (problem != null) {
                result.set(DeleteAclsFilterResult.ERROR_CODE, ErrorCode.INVALID_REQUEST.code())
                    .set(DeleteAclsFilterResult.ERROR_MESSAGE, problem);
                continue;
            }
            result.set(DeleteAclsFilterResult.ERROR_CODE, ErrorCode.NONE.code());
            for (AclBinding acl : current) {
                if (filter.matches(acl)) {
                    removed.add(acl);
                    result.add(DeleteAclsFilterResult.MATCHING_ACLS)
                        .set(DeleteAclsMatchingAcl.ERROR_CODE, ErrorCode.NONE.code())
                        .set(DeleteAclsMatchingAcl.RESOURCE_TYPE, acl.resourceType().code)
                        .set(DeleteAclsMatchingAcl.RESOURCE_NAME, acl.resourceName())
                        .set(DeleteAclsMatchingAcl.PATTERN_TYPE, acl.patternType().code)
                        .set(DeleteAclsMatchingAcl.PRINCIPAL, acl.principal())
                        .set(DeleteAclsMatchingAcl.HOST, acl.host())
                        .set(DeleteAclsMatchingAcl.OPERATION, acl.operation().code)
                        .set(DeleteAclsMatchingAcl.PERMISSION_TYPE, acl.permission().code);
                }
            }
        }
        if (!removed.isEmpty()) {
            store.apply(List.of(), removed);
        }
        return response;
    }
}
