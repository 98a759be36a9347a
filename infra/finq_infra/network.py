"""The network and the database: a VPC and PostgreSQL in its isolated subnets.

Owns the subnets (public for the NAT gateway, private with egress for the Lambdas, isolated for
the database), the S3 and DynamoDB gateway endpoints, the security groups (only the Lambdas
reach port 5432), and the RDS PostgreSQL instance with its generated secret, encryption,
7-day backups and TLS-only connections.
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from constructs import Construct

from finq_infra.stages import Stage

DATABASE_NAME = "finq"
DATABASE_USER = "finq"


class Network(Construct):
    """The VPC, the Lambdas' security group and the database of one stage."""

    def __init__(self, scope: Construct, construct_id: str, *, stage: Stage) -> None:
        """Create the VPC, security groups and database of ``stage``."""
        super().__init__(scope, construct_id)
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            max_azs=2,
            nat_gateways=stage.nat_gateways,
            subnet_configuration=[
                ec2.SubnetConfiguration(
                    name="public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24
                ),
                ec2.SubnetConfiguration(
                    name="lambdas", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS, cidr_mask=22
                ),
                ec2.SubnetConfiguration(
                    name="database", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24
                ),
            ],
            gateway_endpoints={
                "S3": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.S3),
                "DynamoDB": ec2.GatewayVpcEndpointOptions(
                    service=ec2.GatewayVpcEndpointAwsService.DYNAMODB
                ),
            },
        )
        self.lambda_subnets = self.vpc.select_subnets(
            subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS
        )
        self.lambda_security_group = ec2.SecurityGroup(
            self,
            "LambdaSecurityGroup",
            vpc=self.vpc,
            description="FinQ Lambdas: outbound only",
            allow_all_outbound=True,
        )
        database_security_group = ec2.SecurityGroup(
            self,
            "DatabaseSecurityGroup",
            vpc=self.vpc,
            description="FinQ PostgreSQL: from the FinQ Lambdas only",
            allow_all_outbound=False,
        )
        database_security_group.add_ingress_rule(
            self.lambda_security_group, ec2.Port.tcp(5432), "FinQ Lambdas"
        )
        self.database = self._database(stage, database_security_group)

    def _database(self, stage: Stage, security_group: ec2.SecurityGroup) -> rds.DatabaseInstance:
        engine = rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_16_9)
        parameters = rds.ParameterGroup(
            self,
            "DatabaseParameters",
            engine=engine,
            parameters={"rds.force_ssl": "1"},
        )
        identifier = f"finq-{stage.name}"
        # The exported PostgreSQL log, 30 days (a group of ours, not CDK's retention Lambda).
        log_group = logs.LogGroup(
            self,
            "DatabaseLogs",
            log_group_name=f"/aws/rds/instance/{identifier}/postgresql",
            retention=logs.RetentionDays.ONE_MONTH,
            removal_policy=RemovalPolicy.DESTROY,
        )
        # host, port, username, password, dbname: what FinQ reads (RDS adds host and port).
        secret = rds.DatabaseSecret(
            self,
            "DatabaseSecret",
            username=DATABASE_USER,
            dbname=DATABASE_NAME,
            secret_name=stage.secret("db"),
        )
        # The final snapshot keeps the password this secret holds: they stay together.
        secret.apply_removal_policy(
            RemovalPolicy.RETAIN if stage.keep_data else RemovalPolicy.DESTROY
        )
        database = rds.DatabaseInstance(
            self,
            "Database",
            instance_identifier=identifier,
            engine=engine,
            instance_type=ec2.InstanceType(stage.db_instance_class),
            vpc=self.vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            security_groups=[security_group],
            credentials=rds.Credentials.from_secret(secret),
            database_name=DATABASE_NAME,
            parameter_group=parameters,
            allocated_storage=20,
            max_allocated_storage=100,
            storage_type=rds.StorageType.GP3,
            storage_encrypted=True,
            multi_az=stage.db_multi_az,
            publicly_accessible=False,
            backup_retention=Duration.days(7),
            copy_tags_to_snapshot=True,
            auto_minor_version_upgrade=True,
            enable_performance_insights=False,
            cloudwatch_logs_exports=["postgresql"],
            iam_authentication=False,
            deletion_protection=stage.keep_data,
            removal_policy=RemovalPolicy.SNAPSHOT if stage.keep_data else RemovalPolicy.DESTROY,
        )
        database.node.add_dependency(log_group)
        return database
